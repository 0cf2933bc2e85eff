package io.telltale.core.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a copy of the first bytes an origin connection receives, before the HTTP codec reads them, so that a
 * failure can say what the port really speaks (TLS, HTTP/2, SSH, ...); it leaves the pipeline after the first read.
 */
final class FirstBytes extends ChannelInboundHandlerAdapter {
    /** The channel attribute holding the bytes kept. */
    static final AttributeKey<byte[]> KEY = AttributeKey.valueOf("telltale.firstBytes");
    private static final int KEPT = 64;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            byte[] first = new byte[Math.min(KEPT, buf.readableBytes())];
            buf.getBytes(buf.readerIndex(), first);
            ctx.channel().attr(KEY).set(first);
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    /** Returns the first line of the kept bytes as ASCII text, or null when none were kept. */
    static String firstLine(byte[] first) {
        if (first == null || first.length == 0) {
            return null;
        }
        String text = new String(first, StandardCharsets.US_ASCII);
        int end = text.indexOf('\r');
        return end < 0 ? text : text.substring(0, end);
    }
}
