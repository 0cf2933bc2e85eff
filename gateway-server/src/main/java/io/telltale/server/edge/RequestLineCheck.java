package io.telltale.server.edge;

/**
 * Follows the bytes of a request line (without its CR LF) and tells whether it is exactly
 * {@code method SP request-target SP HTTP/DIGIT.DIGIT} (RFC 9112 §3): Netty's decoder splits on any run of
 * whitespace and reads the version case-insensitively, so tabs, doubled spaces, leading whitespace and
 * {@code http/1.1} would otherwise pass, and {@code HTTP/2.0} would be forwarded as HTTP/1.
 */
final class RequestLineCheck {
    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final int METHOD = 0;
    private static final int TARGET_START = 1;
    private static final int TARGET = 2;
    private static final int VERSION = 3;
    private static final int BROKEN = 4;

    private int state = METHOD;
    private int methodLength;
    private int versionIndex;
    private int major = -1;

    /** Forgets the line followed so far, for the next request on the connection. */
    void reset() {
        state = METHOD;
        methodLength = 0;
        versionIndex = 0;
        major = -1;
    }

    /** Takes the next byte of the line. */
    void accept(byte b) {
        switch (state) {
            case METHOD -> {
                if (b == ' ' && methodLength > 0) {
                    state = TARGET_START;
                } else if (Tokens.isTchar(b)) {
                    methodLength++;
                } else {
                    state = BROKEN;
                }
            }
            case TARGET_START -> state = isTargetByte(b) ? TARGET : BROKEN;
            case TARGET -> {
                if (b == ' ') {
                    state = VERSION;
                } else if (!isTargetByte(b)) {
                    state = BROKEN;
                }
            }
            case VERSION -> version(b);
            default -> {
                // Broken stays broken.
            }
        }
    }

    private void version(byte b) {
        int i = versionIndex++;
        boolean ok;
        if (i < HTTP_SLASH.length) {
            ok = b == HTTP_SLASH[i];
        } else if (i == HTTP_SLASH.length) {
            ok = isDigit(b);
            major = b - '0';
        } else if (i == HTTP_SLASH.length + 1) {
            ok = b == '.';
        } else {
            ok = i == HTTP_SLASH.length + 2 && isDigit(b);
        }
        if (!ok) {
            state = BROKEN;
        }
    }

    /** Returns whether the whole line was well formed. */
    boolean wellFormed() {
        return state == VERSION && versionIndex == HTTP_SLASH.length + 3;
    }

    /** Returns whether the well-formed line names a major version this HTTP/1 listener does not speak. */
    boolean unsupportedVersion() {
        return wellFormed() && major != 1;
    }

    private static boolean isTargetByte(byte b) {
        // Bytes above 0x7f pass here: Netty and the target checks decide on them as before.
        return (b & 0xff) > 0x20 && b != 0x7f;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
