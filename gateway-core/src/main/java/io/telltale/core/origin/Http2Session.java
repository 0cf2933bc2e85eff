package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.OriginHop;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One multiplexed HTTP/2 connection to an origin, seen from its parent channel: it waits for the origin's first
 * SETTINGS, counts the streams open on it against the origin's {@code SETTINGS_MAX_CONCURRENT_STREAMS}, notes a
 * GOAWAY, and closes itself once idle or drained.
 *
 * <p>Only its event loop's thread touches it.
 */
final class Http2Session extends ChannelInboundHandlerAdapter {
    /** The most streams one connection carries, also when the origin announces no limit or a higher one. */
    static final int MAX_STREAMS = 100;

    /**
     * What the origin's GOAWAY said.
     *
     * @param lastStreamId the highest stream the origin may have processed
     * @param errorCode the HTTP/2 error code
     * @param debugData the opaque debug data as UTF-8 text, empty when none
     */
    record GoAway(int lastStreamId, long errorCode, String debugData) {
    }

    private final OriginTarget target;
    private final OriginKey key;
    private final Consumer<Http2Session> unusable;
    private Channel channel;
    private Promise<Http2Session> ready;
    private ScheduledFuture<?> timer;
    private int maxStreams = MAX_STREAMS;
    private int streams;
    private int waiting;
    private GoAway goAway;
    private boolean connected;

    /**
     * Creates the session of a new connection.
     *
     * @param target where the connection goes
     * @param key the pool key of the connection
     * @param unusable called once when the connection can take no new streams any more (GOAWAY or closed)
     */
    Http2Session(OriginTarget target, OriginKey key, Consumer<Http2Session> unusable) {
        this.target = target;
        this.key = key;
        this.unusable = unusable;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ready = ctx.executor().newPromise();
        channel.closeFuture().addListener(f -> closed());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connected = true;
        ctx.fireChannelActive();
    }

    private void closed() {
        cancelTimer();
        unusable.accept(this);
        if (ready.isDone()) {
            return;
        }
        if (!connected) {
            // The connect itself failed: the request that dialled names that; those waiting choose again.
            ready.setFailure(new ClosedChannelException());
            return;
        }
        byte[] first = channel.attr(FirstBytes.KEY).get();
        String line = FirstBytes.firstLine(first);
        if (line != null && line.startsWith("HTTP/")) {
            notHttp2("answered the HTTP/2 connection preface in HTTP/1 (" + line + ")");
        } else {
            notHttp2(first == null || first.length == 0 ? "closed the connection without answering the HTTP/2"
                    + " connection preface" : "answered the HTTP/2 connection preface with bytes that are not"
                    + " HTTP/2 SETTINGS");
        }
    }

    /**
     * Starts waiting for the origin's SETTINGS, once TCP (and TLS) are up: an HTTP/2 origin sends them first, so
     * none within the TLS handshake timeout means the origin does not speak HTTP/2.
     */
    Future<Http2Session> awaitSettings() {
        if (!ready.isDone()) {
            long nanos = target.origin().tlsHandshakeTimeout().toNanos();
            timer = channel.eventLoop().schedule(() -> notHttp2("sent no HTTP/2 SETTINGS within "
                    + nanos / 1_000_000 + " ms of connecting"), nanos, TimeUnit.NANOSECONDS);
        }
        return ready;
    }

    /** Returns whether a stream may be opened now or once the connection is up. */
    boolean hasRoom() {
        if (goAway != null || !channel.isOpen() || (ready.isDone() && !ready.isSuccess())) {
            return false;
        }
        return streams + waiting < maxStreams;
    }

    /** Returns whether the origin's SETTINGS arrived, so streams may be opened. */
    boolean isReady() {
        return ready.isSuccess();
    }

    /** Reserves a place for a request that waits for this connection's SETTINGS. */
    Future<Http2Session> reserve() {
        waiting++;
        return ready;
    }

    /** Returns the GOAWAY the origin sent, or null. */
    GoAway goAway() {
        return goAway;
    }

    /** Returns where the connection goes, as failures name it. */
    OriginHop hop() {
        return OriginConnector.hop(target, key);
    }

    /** Opens a stream whose pipeline the initializer builds; the stream counts until its channel closes. */
    Future<Http2StreamChannel> openStream(ChannelHandler initializer) {
        streams++;
        cancelTimer();
        Future<Http2StreamChannel> opened = new Http2StreamChannelBootstrap(channel).handler(initializer).open();
        opened.addListener(f -> {
            if (f.isSuccess()) {
                ((Http2StreamChannel) f.getNow()).closeFuture().addListener(c -> streamClosed());
            } else {
                streamClosed();
            }
        });
        return opened;
    }

    private void streamClosed() {
        streams--;
        if (streams == 0) {
            whenIdle();
        }
    }

    private void whenIdle() {
        if (goAway != null) {
            channel.close();
        } else if (channel.isActive()) {
            long nanos = target.origin().idleTimeout().toNanos();
            timer = channel.eventLoop().schedule(() -> {
                timer = null;
                if (streams == 0) {
                    channel.close();
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame settings) {
                Long max = settings.settings().maxConcurrentStreams();
                maxStreams = max == null ? MAX_STREAMS : (int) Math.min(max, MAX_STREAMS);
                if (!ready.isDone()) {
                    cancelTimer();
                    // The waiting requests now take their places one by one, each as its listener runs.
                    waiting = 0;
                    ready.setSuccess(this);
                    if (streams == 0) {
                        whenIdle();
                    }
                }
            } else if (msg instanceof Http2GoAwayFrame frame) {
                goAway = new GoAway(frame.lastStreamId(), frame.errorCode(), goAwayText(frame));
                unusable.accept(this);
                if (streams == 0) {
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Returns a GOAWAY's debug data as text. */
    String goAwayText(Http2GoAwayFrame frame) {
        return frame.content().toString(StandardCharsets.UTF_8);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An I/O error ends the connection; its streams hear of it as their channels close.
        ctx.close();
    }

    private void notHttp2(String what) {
        timer = null;
        if (ready.isDone()) {
            return;
        }
        String detail = "The origin " + hop().nextHop() + " is configured as " + (target.tls() ? "h2" : "h2c")
                + " but " + what + ".";
        ready.setFailure(new FailureException(Http2Failures.notHttp2(hop(), detail, "http2.preface", what)));
        channel.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
