package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * A stored response's status line and header fields in the form every full hit writes them, and the readers
 * that get fields back out of that form when a rule needs them: the cache keeps no header objects.
 */
final class EncodedHead {
    private static final int CR = '\r';

    private EncodedHead() {
    }

    /** Returns the HTTP/1.1 status line and the fields, each line ending in CRLF, without the blank line. */
    static byte[] of(HttpResponseStatus status, HttpHeaders headers) {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(status.code()).append(' ').append(status.reasonPhrase()).append("\r\n");
        appendFields(text, headers);
        return latin1(text);
    }

    /** Returns the fields alone, each line ending in CRLF; null when there are none. */
    static byte[] fields(HttpHeaders headers) {
        if (headers.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(64);
        appendFields(text, headers);
        return latin1(text);
    }

    private static void appendFields(StringBuilder text, HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            text.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
        }
    }

    private static byte[] latin1(StringBuilder text) {
        // Field values are octets (RFC 9110 §5.5): Latin-1 writes each char as the byte Netty's encoder would.
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Adds the fields of an encoded head (the status line skipped) or of encoded fields to {@code into}. */
    static HttpHeaders parse(ByteBuf encoded, boolean hasStatusLine, HttpHeaders into) {
        int end = encoded.writerIndex();
        int line = encoded.readerIndex();
        if (hasStatusLine) {
            line = lineEnd(encoded, line, end) + 2;
        }
        while (line < end) {
            int lineEnd = lineEnd(encoded, line, end);
            int colon = encoded.indexOf(line, lineEnd, (byte) ':');
            if (colon > line) {
                into.add(text(encoded, line, colon), text(encoded, colon + 2, lineEnd));
            }
            line = lineEnd + 2;
        }
        return into;
    }

    /** Adds the fields of encoded field lines to {@code into}; nothing for null. */
    static HttpHeaders parse(byte[] fields, HttpHeaders into) {
        return fields == null ? into : parse(Unpooled.wrappedBuffer(fields), false, into);
    }

    /** Returns the first value of a field (its lower-case name) in an encoded head, or null. */
    static String first(ByteBuf encoded, AsciiString name) {
        int end = encoded.writerIndex();
        int line = lineEnd(encoded, encoded.readerIndex(), end) + 2;
        int length = name.length();
        while (line < end) {
            int lineEnd = lineEnd(encoded, line, end);
            if (lineEnd - line > length && encoded.getByte(line + length) == ':' && sameName(encoded, line, name)) {
                return text(encoded, line + length + 2, lineEnd);
            }
            line = lineEnd + 2;
        }
        return null;
    }

    private static boolean sameName(ByteBuf encoded, int start, AsciiString name) {
        for (int i = 0; i < name.length(); i++) {
            if (encoded.getByte(start + i) != name.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lineEnd(ByteBuf encoded, int from, int end) {
        int cr = encoded.indexOf(from, end, (byte) CR);
        return cr < 0 ? end : cr;
    }

    private static String text(ByteBuf encoded, int from, int to) {
        return to <= from ? "" : encoded.toString(from, to - from, StandardCharsets.ISO_8859_1);
    }
}
