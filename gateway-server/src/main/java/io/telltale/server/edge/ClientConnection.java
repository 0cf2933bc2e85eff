package io.telltale.server.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * The part of a client connection that lasts as long as the connection: it counts the connection, tells its
 * {@link ClientTimer} when each request begins and ends, and while the connection sleeps it is the only
 * handler left, so that it rebuilds the HTTP handlers when the next request's first bytes arrive.
 *
 * <p>It sits before the codec (after TLS) so that it sees the first raw bytes of each request.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
    /** The event fired down the pipeline when a started header section did not complete in time. */
    static final Object HEADER_TIMEOUT = new Object();

    private final ClientTimer timer;
    private ChannelHandlerContext ctx;
    private boolean asleep;
    // The timer's bookkeeping: the queue this connection waits in (null while a request is being served), its
    // neighbours there, and when it began waiting.
    ClientTimer.Queue queue;
    ClientConnection prev;
    ClientConnection next;
    long since;

    ClientConnection(ClientTimer timer) {
        this.timer = timer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer.metrics().clientConnected();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.forget(this);
        timer.metrics().clientDisconnected();
        ctx.fireChannelInactive();
    }

    /** Starts the clock for the next request: the idle one, or the header one if part of it already came. */
    void awaitRequest(boolean partlyReceived) {
        timer.enqueue(this, partlyReceived ? timer.started : timer.waiting);
    }

    /** Leaves the HTTP/1.1 clocks for good: the connection now speaks HTTP/2, which times itself. */
    void serveHttp2() {
        timer.forget(this);
        asleep = false;
    }

    /** Stops the clocks: a request's header section has arrived. */
    void requestReceived() {
        timer.forget(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (queue != null && queue != timer.started) {
            if (asleep) {
                asleep = false;
                timer.http().install(ctx.pipeline(), this, true);
            }
            timer.enqueue(this, timer.started);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (asleep && evt == HttpEdgeHandler.DRAIN) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (asleep) {
            // Asleep, only the socket can fail (a reset): nobody is left to tell.
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * Removes every handler after this one. The timer calls it only for a connection waiting since before its
     * last tick: its last response is written and no byte of a next request came, so they hold nothing.
     */
    void sleep() {
        ChannelPipeline pipeline = ctx.pipeline();
        while (pipeline.last() != this) {
            pipeline.removeLast();
        }
        asleep = true;
    }

    void idleTimedOut() {
        ctx.close();
    }

    void headerTimedOut() {
        ctx.fireUserEventTriggered(HEADER_TIMEOUT);
    }
}
