package io.telltale.server.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One end of a {@link Tunnel}: the last handler of its connection, writing what it reads to the other end's
 * connection. It stops reading while the other connection cannot take more (auto-read off) and reads on when
 * it can, so a tunnel holds at most a read cycle plus the write buffer's high-water mark per direction.
 */
final class TunnelRelay extends ChannelInboundHandlerAdapter {
    private final Tunnel tunnel;
    private final TunnelSide side;
    private ChannelHandlerContext ctx;
    private TunnelRelay peer;
    /** Bytes the HTTP codec still held when it left, kept until the tunnel starts. */
    private List<ByteBuf> early;
    private long bytesIn;
    private boolean halfClosable;
    private boolean inputEnded;

    TunnelRelay(Tunnel tunnel, TunnelSide side) {
        this.tunnel = tunnel;
        this.side = side;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts relaying to the other end: what came early first, then reads as they come. */
    void start(TunnelRelay other) {
        peer = other;
        Channel ch = ctx.channel();
        // Under TLS a FIN cannot be passed on as a half-close: a close_notify ends both directions. An HTTP/2
        // stream ends each direction on its own with END_STREAM.
        halfClosable = ch instanceof Http2StreamChannel
                || ch instanceof DuplexChannel && ch.pipeline().get(SslHandler.class) == null;
        if (halfClosable) {
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        if (early != null) {
            for (ByteBuf buf : early) {
                relay(buf);
            }
            early = null;
            peer.flush();
        }
        ch.config().setAutoRead(true);
    }

    Channel channel() {
        return ctx.channel();
    }

    long bytesIn() {
        return bytesIn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            // The end of the 101 from the origin's decoder, or a request the client sent ahead of the switch.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (peer == null) {
            if (early == null) {
                early = new ArrayList<>(2);
            }
            early.add(buf);
            return;
        }
        relay(buf);
        if (!peer.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void relay(ByteBuf buf) {
        int bytes = buf.readableBytes();
        if (bytes == 0) {
            buf.release();
            return;
        }
        bytesIn += bytes;
        tunnel.touch();
        peer.write(buf);
    }

    private void write(ByteBuf buf) {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            buf.release();
            return;
        }
        // A failed write reaches this end's exceptionCaught through the void promise: the connection broke.
        ch.write(buf, ch.voidPromise());
    }

    private void flush() {
        ctx.channel().flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer == null) {
            return;
        }
        peer.flush();
        if (!peer.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer != null) {
            tunnel.touch();
            peer.resume();
        }
    }

    private void resume() {
        if (!inputEnded && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true;
            tunnel.inputEnded(side);
            if (peer != null) {
                peer.endOutput();
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    /**
     * Passes a FIN on once what was written is flushed: END_STREAM on an HTTP/2 stream, a half-close where the
     * connection allows, else a close.
     */
    private void endOutput() {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (ch instanceof Http2StreamChannel && ch.isActive()) {
                // Even after the client's own END_STREAM: the stream then closes cleanly instead of by a reset.
                ch.writeAndFlush(new DefaultHttp2DataFrame(true));
            } else if (halfClosable && !inputEnded && ch.isActive()) {
                ((DuplexChannel) ch).shutdownOutput();
            } else {
                ch.close();
            }
        });
    }

    /**
     * Closes this end's connection once what was written to it is flushed; an HTTP/2 stream whose peer connection
     * failed is reset with {@code CONNECT_ERROR} (RFC 9113 §8.5) rather than Netty's {@code CANCEL}.
     */
    void closeAfterFlush() {
        Channel ch = ctx.channel();
        if (!ch.isActive()) {
            return;
        }
        ChannelFuture flushed = ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
        if (ch instanceof Http2StreamChannel && tunnel.cutBy(peer.side)) {
            flushed.addListener(f -> ch.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CONNECT_ERROR))
                    .addListener(ChannelFutureListener.CLOSE));
        } else {
            flushed.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (early != null) {
            early.forEach(ByteBuf::release);
            early = null;
        }
        if (peer != null) {
            tunnel.closed(side, peer);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.failed(side, cause);
        ctx.close();
    }
}
