package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedNioFile;
import io.telltale.core.cache.StoredFile;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/** Puts a stored response read back from disk in wire form: its head encoded, its body as a file part to send. */
final class StoredHeads {
    /** How much of a file one read takes under TLS, where a file region cannot be used. */
    static final int TLS_CHUNK = 16 * 1024;

    private StoredHeads() {
    }

    /** Returns the status line and fields in HTTP/1.1 wire form, without the blank line. */
    static ByteBuf encode(HttpResponseStatus status, HttpHeaders headers) {
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(512);
        ByteBufUtil.writeAscii(out, "HTTP/1.1 ");
        ByteBufUtil.writeAscii(out, Integer.toString(status.code()));
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, status.reasonPhrase());
        out.writeShort(('\r' << 8) | '\n');
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            ByteBufUtil.writeAscii(out, field.getKey());
            out.writeShort((':' << 8) | ' ');
            ByteBufUtil.writeAscii(out, field.getValue());
            out.writeShort(('\r' << 8) | '\n');
        }
        return out;
    }

    /**
     * Returns the message that sends a file part: a zero-copy file region on plain HTTP, or chunked reads of the
     * file under TLS, whose bytes must pass through the TLS engine; either closes the file when done.
     */
    static Object fileBody(StoredFile file, boolean tls) {
        if (!tls) {
            return new DefaultFileRegion(file.channel(), file.position(), file.count());
        }
        try {
            return new ChunkedNioFile(file.channel(), file.position(), file.count(), TLS_CHUNK);
        } catch (IOException e) {
            // Only a channel closed already fails here: the region then fails its write and the connection ends,
            // as any failed read of the file would.
            file.close();
            return new DefaultFileRegion(file.channel(), file.position(), 0);
        }
    }
}
