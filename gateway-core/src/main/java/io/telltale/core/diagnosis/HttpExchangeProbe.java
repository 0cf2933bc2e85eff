package io.telltale.core.diagnosis;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.failure.OriginResponseTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a probe connection: sends the one request, times the first response byte, reads the
 * response to its end (up to {@link #BODY_LIMIT}) and enforces the response timeout between reads.
 */
final class HttpExchangeProbe extends ChannelInboundHandlerAdapter {
    /** The most body bytes read before the probe stops reading; the rest of a large body tells nothing more. */
    static final long BODY_LIMIT = 1 << 20;

    /**
     * How the exchange ended: a response read to its end (or to the body limit), or the failure that ended it.
     *
     * @param head the response head, or null when none arrived
     * @param timeToFirstByteNanos from the request's first byte sent to the response's first byte, -1 if none came
     * @param totalNanos from the request's first byte sent to the end of the exchange
     * @param bodyBytes the body bytes read
     * @param truncated whether reading stopped at the body limit
     * @param cause what ended the exchange early, or null
     * @param decoderFailure whether the cause is the codec rejecting what the origin sent
     */
    record Outcome(HttpResponse head, long timeToFirstByteNanos, long totalNanos, long bodyBytes, boolean truncated,
            Throwable cause, boolean decoderFailure) {
    }

    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final ChannelHandler firstByteStamp = new FirstByteStamp();
    private ChannelHandlerContext ctx;
    private long sentNanos = -1;
    private long firstByteNanos = -1;
    private long lastReadNanos;
    private long idleNanos;
    private long deadlineNanos;
    private ScheduledFuture<?> timer;
    private HttpResponse head;
    private long bodyBytes;

    /** Returns the handler to place before the HTTP codec (after TLS) that notes when the first byte arrives. */
    ChannelHandler firstByteStamp() {
        return firstByteStamp;
    }

    /** Returns how the exchange ended; completes once, on the channel's event loop. */
    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Sends the request and starts the response timeout.
     *
     * @param request the request, released by the pipeline
     * @param idleNanos the longest wait for the first byte and between reads
     * @param deadlineNanos the {@link System#nanoTime()} by which the whole response must have arrived
     */
    void send(HttpRequest request, long idleNanos, long deadlineNanos) {
        ctx.executor().execute(() -> {
            if (outcome.isDone()) {
                ReferenceCountUtil.release(request);
                return;
            }
            this.idleNanos = idleNanos;
            this.deadlineNanos = deadlineNanos;
            sentNanos = System.nanoTime();
            lastReadNanos = sentNanos;
            ctx.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(f.cause(), false);
                }
            });
            schedule(Math.min(idleNanos, deadlineNanos - sentNanos));
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            lastReadNanos = System.nanoTime();
            if (outcome.isDone()) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    fail(response.decoderResult().cause(), true);
                    return;
                }
                if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    return;
                }
                head = response;
            }
            if (msg instanceof HttpContent content && head != null) {
                if (content.decoderResult().isFailure()) {
                    fail(content.decoderResult().cause(), true);
                    return;
                }
                bodyBytes += content.content().readableBytes();
                if (content instanceof LastHttpContent) {
                    finish(null, false, false);
                } else if (bodyBytes >= BODY_LIMIT) {
                    finish(null, false, true);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new ClosedChannelException(), false);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause, false);
        ctx.close();
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::checkTimeout, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void checkTimeout() {
        if (outcome.isDone()) {
            return;
        }
        long now = System.nanoTime();
        long idle = now - lastReadNanos;
        if (idle >= idleNanos || now - deadlineNanos >= 0) {
            fail(OriginResponseTimeoutException.INSTANCE, false);
            ctx.close();
            return;
        }
        schedule(Math.min(idleNanos - idle, deadlineNanos - now));
    }

    private void fail(Throwable cause, boolean decoderFailure) {
        finish(cause, decoderFailure, false);
    }

    private void finish(Throwable cause, boolean decoderFailure, boolean truncated) {
        if (outcome.isDone()) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        long now = System.nanoTime();
        long total = sentNanos < 0 ? 0 : now - sentNanos;
        long firstByte = sentNanos < 0 || firstByteNanos < 0 ? -1 : firstByteNanos - sentNanos;
        outcome.complete(new Outcome(head, firstByte, total, bodyBytes, truncated, cause, decoderFailure));
    }

    /** Notes when the first response byte arrives, before the codec has a whole status line. */
    private final class FirstByteStamp extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (firstByteNanos < 0 && sentNanos >= 0) {
                firstByteNanos = System.nanoTime();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
