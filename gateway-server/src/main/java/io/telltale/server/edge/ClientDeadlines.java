package io.telltale.server.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Times a client connection between requests: an idle keep-alive connection is closed quietly, and a
 * request whose header section is not complete in time is answered 408 by the proxy handler.
 *
 * <p>It sits before the codec so that it sees the first raw bytes of each request. Requests only stamp
 * times; one tick per connection, every quarter of the shorter timeout, checks them, so a busy connection
 * costs no timer operations per request and a deadline is enforced at most a quarter late.
 */
public final class ClientDeadlines extends ChannelInboundHandlerAdapter {
    /** The event fired down the pipeline when a started header section did not complete in time. */
    public static final Object HEADER_TIMEOUT = new Object();

    private final long idleNanos;
    private final long headerNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> tick;
    private boolean waiting;
    private boolean started;
    private long waitingSince;
    private long startedAt;

    ClientDeadlines(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts waiting for the next request. */
    public void awaitRequest() {
        waiting = true;
        started = false;
        waitingSince = System.nanoTime();
        if (tick == null) {
            long period = Math.max(1, Math.min(idleNanos, headerNanos) / 4);
            tick = ctx.executor().scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the clocks: a request's header section has arrived. */
    public void requestReceived() {
        waiting = false;
        started = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting && !started) {
            started = true;
            startedAt = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (tick != null) {
            tick.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void check() {
        if (!waiting) {
            return;
        }
        long now = System.nanoTime();
        if (started) {
            if (now - startedAt >= headerNanos) {
                waiting = false;
                ctx.fireUserEventTriggered(HEADER_TIMEOUT);
            }
        } else if (now - waitingSince >= idleNanos) {
            ctx.close();
        }
    }
}
