package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.ReferenceCountUtil;

/**
 * A complete HTTP/1.1 response already in wire form (a stored head encoded once, this hit's own fields and the
 * body), which the edge's encoder passes on as it is; a body read back from disk follows as its own message (a
 * file region, or a chunked input under TLS).
 */
public final class EncodedResponse extends DefaultByteBufHolder {
    private Object fileBody;

    /** Wraps the response's bytes; the new object owns them. */
    public EncodedResponse(ByteBuf bytes) {
        super(bytes);
    }

    /** Wraps the response's head and the message that sends its body; the new object owns both. */
    public EncodedResponse(ByteBuf head, Object fileBody) {
        super(head);
        this.fileBody = fileBody;
    }

    /** Takes the message that sends the body after the bytes, or null when the bytes hold the body. */
    public Object takeFileBody() {
        Object taken = fileBody;
        fileBody = null;
        return taken;
    }

    @Override
    public boolean release() {
        Object body = takeFileBody();
        if (body instanceof ChunkedInput<?> chunked) {
            try {
                chunked.close();
            } catch (Exception e) {
                // A file that will not close has nothing more to send either.
            }
        } else {
            ReferenceCountUtil.release(body);
        }
        return super.release();
    }
}
