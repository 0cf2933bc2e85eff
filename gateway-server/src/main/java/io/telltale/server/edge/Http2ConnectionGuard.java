package io.telltale.server.edge;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.config.Http2Config;
import io.telltale.core.failure.FailureCode;
import io.telltale.server.observe.GatewayMetrics;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/2 client connection: it spends the client's budget of SETTINGS and PING frames
 * (a client over it gets GOAWAY {@code ENHANCE_YOUR_CALM}), closes the connection once it has had no open
 * stream for the keep-alive timeout, and closes it gracefully when the gateway drains.
 */
final class Http2ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Http2ConnectionGuard.class);

    private final Http2Connection connection;
    private final long windowNanos;
    private final int maxControlFrames;
    private final long idleNanos;
    private final GatewayMetrics metrics;
    private ChannelHandlerContext ctx;
    private long windowStart;
    private int controlFrames;
    private long lastActive;
    private ScheduledFuture<?> idleCheck;

    Http2ConnectionGuard(Http2Connection connection, Http2Config config, long idleNanos, GatewayMetrics metrics) {
        this.connection = connection;
        this.windowNanos = config.floodWindow().toNanos();
        this.maxControlFrames = config.maxControlFramesPerWindow();
        this.idleNanos = idleNanos;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = now();
        windowStart = now;
        lastActive = now;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                lastActive = now();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                lastActive = now();
            }
        });
        idleCheck = ctx.executor().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idleCheck.cancel(false);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean control = msg instanceof Http2PingFrame ping && !ping.ack() || msg instanceof Http2SettingsFrame;
        ReferenceCountUtil.release(msg);
        if (control && overBudget()) {
            metrics.failure(FailureCode.HTTP2_FRAME_FLOOD.code(), "-", "-");
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM,
                    ByteBufUtil.writeAscii(ctx.alloc(), "too many SETTINGS and PING frames")))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private boolean overBudget() {
        long now = now();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            controlFrames = 0;
        }
        return ++controlFrames == maxControlFrames + 1;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HttpEdgeHandler.DRAIN) {
            // The codec sends GOAWAY and lets the open streams finish within its graceful shutdown timeout.
            ctx.close();
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception) {
            // The codec answers its own protocol errors with the GOAWAY that names them (and counted them).
            return;
        }
        if (!HttpEdgeHandler.isClientSideError(cause)) {
            LOG.warn("closing HTTP/2 client connection after an unexpected error", cause);
        }
        ctx.close();
    }

    private void checkIdle() {
        long idleFor = now() - lastActive;
        if (connection.numActiveStreams() == 0 && idleFor >= idleNanos) {
            ctx.close();
            return;
        }
        long next = connection.numActiveStreams() == 0 ? idleNanos - idleFor : idleNanos;
        idleCheck = ctx.executor().schedule(this::checkIdle, next, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
