package io.telltale.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.1 on a plain connection by its first bytes: the HTTP/2
 * connection preface switches the connection to HTTP/2, anything else leaves it to HTTP/1.1. Either way it
 * then steps aside, passing on the bytes it held.
 */
final class PriorKnowledgeSwitch extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf().asReadOnly();

    private final Consumer<ChannelHandlerContext> http2;

    /** Creates the switch; {@code http2} replaces the connection's HTTP/1.1 handlers with HTTP/2 ones. */
    PriorKnowledgeSwitch(Consumer<ChannelHandlerContext> http2) {
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean preface = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), length);
        if (preface && length < PREFACE.readableBytes()) {
            // So far like the preface: wait for the rest of it.
            return;
        }
        if (preface) {
            http2.accept(ctx);
        }
        ctx.pipeline().remove(this);
    }
}
