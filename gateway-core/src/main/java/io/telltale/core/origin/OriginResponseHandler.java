package io.telltale.core.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.failure.OriginResponseTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an origin connection: hands response objects to the current exchange and enforces
 * the response timeout from the request's last byte to the first response byte and between reads. Interim (1xx)
 * responses are not activity: an origin that sends them without end never gets past the timeout with them.
 */
final class OriginResponseHandler extends ChannelInboundHandlerAdapter {
    private static final ClosedChannelException CLOSED = StacklessClosed.INSTANCE;

    private ChannelHandlerContext ctx;
    private OriginExchangeListener listener;
    private long timeoutNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> timer;
    private boolean paused;
    private boolean timing;
    /** The last head read was an interim response, so what follows it up to the next head is not activity. */
    private boolean interim;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // The connection became a tunnel: no response is awaited any more.
        cancelTimer();
    }

    /** Directs this connection's responses to a new exchange. */
    void attach(OriginExchangeListener listener) {
        this.listener = listener;
    }

    /** Stops delivering to the exchange, before the connection goes back to the pool. */
    void detach() {
        listener = null;
        interim = false;
        paused = false;
        timing = false;
    }

    /**
     * Starts the response timeout; called once the request's last byte is flushed. A timer still pending from
     * an earlier exchange on this connection is reused: when it fires it measures from the latest activity.
     */
    void startResponseTimer(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
        lastActivityNanos = System.nanoTime();
        timing = true;
        if (timer == null) {
            timer = ctx.executor().schedule(this::checkTimeout, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Pauses the response timeout while the client is slow to take what was already read. */
    void pause() {
        paused = true;
    }

    /** Resumes the response timeout, counting from now. */
    void resume() {
        paused = false;
        lastActivityNanos = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OriginExchangeListener current = listener;
        if (current == null) {
            // An idle connection must not talk: whatever it sent cannot belong to a request.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse head) {
            interim = head.status().codeClass() == HttpStatusClass.INFORMATIONAL && head.status().code() != 101;
        }
        if (!interim) {
            lastActivityNanos = System.nanoTime();
        }
        current.onResponseObject((HttpObject) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        OriginExchangeListener current = listener;
        if (current != null) {
            current.onReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        OriginExchangeListener current = listener;
        listener = null;
        if (current != null) {
            current.onOriginFailure(CLOSED);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OriginExchangeListener current = listener;
        listener = null;
        cancelTimer();
        if (current != null) {
            current.onOriginFailure(cause);
        }
        ctx.close();
    }

    private void checkTimeout() {
        timer = null;
        if (listener == null || !timing) {
            return;
        }
        long idle = paused ? 0 : System.nanoTime() - lastActivityNanos;
        if (idle < timeoutNanos) {
            timer = ctx.executor().schedule(this::checkTimeout, timeoutNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        OriginExchangeListener current = listener;
        listener = null;
        current.onOriginFailure(OriginResponseTimeoutException.INSTANCE);
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static final class StacklessClosed extends ClosedChannelException {
        static final StacklessClosed INSTANCE = new StacklessClosed();

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
