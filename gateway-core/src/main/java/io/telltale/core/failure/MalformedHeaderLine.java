package io.telltale.core.failure;

import io.netty.handler.codec.DecoderException;

/**
 * Signals a line in an origin response's header section that is not a field: it has no colon, so it is neither
 * {@code field-name ":" field-value} nor an obsolete fold (RFC 9112 section 5). Stackless: the line says it all.
 */
public final class MalformedHeaderLine extends DecoderException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 64;

    private final String line;

    /** Creates the signal for a line already made printable by {@link #printable}. */
    public MalformedHeaderLine(String line) {
        super("header line without a colon: " + line);
        this.line = line;
    }

    /** Returns the line as received, non-printable bytes escaped as {@code \xNN} and cut after 64 bytes. */
    public String line() {
        return line;
    }

    /**
     * Returns {@code bytes} as printable ASCII: a byte outside 0x20-0x7e (or a backslash) is written {@code \xNN},
     * and a line longer than 64 bytes is cut with "..." so that no origin can flood a log or a page through it.
     */
    public static String printable(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder(Math.min(length, SHOWN) + 8);
        for (int i = 0; i < Math.min(length, SHOWN); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                text.append((char) b);
            } else {
                text.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return length > SHOWN ? text.append("...").toString() : text.toString();
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
