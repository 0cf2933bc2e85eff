package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a stored response's status line and header fields once, as the bytes every full hit writes, so a
 * hit adds only the fields of its own (Age, X-Cache, Cache-Status, ...) and encodes nothing else.
 */
final class EncodedHead {
    private EncodedHead() {
    }

    /** Returns the HTTP/1.1 status line and the fields, each line ending in CRLF, without the blank line. */
    static ByteBuf of(HttpResponseStatus status, HttpHeaders headers) {
        StringBuilder text = new StringBuilder(256);
        text.append("HTTP/1.1 ").append(status.code()).append(' ').append(status.reasonPhrase()).append("\r\n");
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            text.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
        }
        // Field values are octets (RFC 9110 §5.5): Latin-1 writes each char as the byte Netty's encoder would.
        byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
    }
}
