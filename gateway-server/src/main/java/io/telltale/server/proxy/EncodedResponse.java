package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A complete HTTP/1.1 response already in wire form (a stored head encoded once, this hit's own fields and the
 * body), which the edge's encoder passes on as it is.
 */
public final class EncodedResponse extends DefaultByteBufHolder {
    /** Wraps the response's bytes; the new object owns them. */
    public EncodedResponse(ByteBuf bytes) {
        super(bytes);
    }
}
