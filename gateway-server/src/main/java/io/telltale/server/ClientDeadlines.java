package io.telltale.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Times a client connection between requests: an idle keep-alive connection is closed quietly, and a
 * request whose header section is not complete in time is answered 408 by the proxy handler.
 *
 * <p>It sits before the codec so that it sees the first raw bytes of each request.
 */
final class ClientDeadlines extends ChannelInboundHandlerAdapter {
    /** The event fired down the pipeline when a started header section did not complete in time. */
    static final Object HEADER_TIMEOUT = new Object();

    private final long idleNanos;
    private final long headerNanos;
    private ChannelHandlerContext ctx;
    private boolean waiting;
    private boolean started;
    private ScheduledFuture<?> timer;

    ClientDeadlines(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts waiting for the next request. */
    void awaitRequest() {
        waiting = true;
        started = false;
        reschedule(idleNanos, this::idleExpired);
    }

    /** Stops the clocks: a request's header section has arrived. */
    void requestReceived() {
        waiting = false;
        started = false;
        cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting && !started) {
            started = true;
            reschedule(headerNanos, this::headerExpired);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void idleExpired() {
        if (waiting && !started) {
            ctx.close();
        }
    }

    private void headerExpired() {
        if (waiting) {
            waiting = false;
            ctx.fireUserEventTriggered(HEADER_TIMEOUT);
        }
    }

    private void reschedule(long nanos, Runnable task) {
        cancel();
        timer = ctx.executor().schedule(task, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
