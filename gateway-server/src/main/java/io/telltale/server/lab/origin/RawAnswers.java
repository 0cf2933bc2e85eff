package io.telltale.server.lab.origin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The exact bytes each raw fault writes after reading a request, built once. */
final class RawAnswers {
    /** The Content-Length that {@link OriginFault#RESET_MID_BODY} announces. */
    static final int RESET_ANNOUNCED_LENGTH = 1 << 20;
    /** How much of that body it sends before the reset. */
    static final int RESET_SENT_LENGTH = 32 * 1024;
    /** The size of {@link OriginFault#HUGE_HEADERS}' filler fields: 128 fields of 1 KiB, CRLF included. */
    static final int HUGE_HEADER_SECTION = 128 * 1024;

    static final byte[] CLOSE_MID_HEADERS = ascii("HTTP/1.1 200 O");
    static final byte[] GARBAGE_STATUS = ascii("HTTP/1.1 abc\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
    static final byte[] BROKEN_CHUNKING = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "zz\r\nhello\r\n0\r\n\r\n");
    static final byte[] HUGE_HEADERS = hugeHeaders();
    static final byte[] RESET_MID_BODY = resetMidBody();

    private RawAnswers() {
    }

    /** Returns the bytes a raw fault answers with (not to be modified). */
    static byte[] of(OriginFault fault) {
        return switch (fault) {
            case CLOSE_MID_HEADERS -> CLOSE_MID_HEADERS;
            case GARBAGE_STATUS -> GARBAGE_STATUS;
            case BROKEN_CHUNKING -> BROKEN_CHUNKING;
            case HUGE_HEADERS -> HUGE_HEADERS;
            case RESET_MID_BODY -> RESET_MID_BODY;
            default -> throw new IllegalArgumentException("fault: " + fault + " (expected: a fault that answers raw bytes)");
        };
    }

    private static byte[] hugeHeaders() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HUGE_HEADER_SECTION + 64);
        out.writeBytes(ascii("HTTP/1.1 200 OK\r\n"));
        int fields = HUGE_HEADER_SECTION / 1024;
        for (int i = 0; i < fields; i++) {
            String name = String.format("X-Lab-Filler-%03d: ", i);
            out.writeBytes(ascii(name + "a".repeat(1024 - name.length() - 2) + "\r\n"));
        }
        out.writeBytes(ascii("Content-Length: 0\r\n\r\n"));
        return out.toByteArray();
    }

    private static byte[] resetMidBody() {
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + RESET_ANNOUNCED_LENGTH + "\r\n\r\n");
        byte[] bytes = Arrays.copyOf(head, head.length + RESET_SENT_LENGTH);
        Arrays.fill(bytes, head.length, bytes.length, (byte) 'x');
        return bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
