package io.telltale.server.edge;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.config.LimitsConfig;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.concurrent.TimeUnit;

/**
 * How long one request's body may keep the gateway waiting: each wait for its next piece at most the body timeout,
 * and all waits together at most the body timeout plus the time its bytes so far earned at the minimum rate, so
 * that a body which stops, or trickles in slower than the rate, is given up. Only waits the gateway asked for count:
 * while the origin is slow to take the body, the client is not read and its clock stands still. It runs on the
 * request's event loop only.
 */
final class RequestBodyClock {
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventExecutor loop;
    private final long timeoutNanos;
    private final long minBytesPerSecond;
    private final Runnable onTimeout;
    private long waitedNanos;
    private long bytes;
    private long waitingSince;
    private ScheduledFuture<?> timer;

    /**
     * Creates the clock of one request body.
     *
     * @param loop the request's event loop, whose clock it reads
     * @param limits the body timeout and the minimum rate
     * @param onTimeout what gives the request up, run on the loop when the clock runs out
     */
    RequestBodyClock(EventExecutor loop, LimitsConfig limits, Runnable onTimeout) {
        this.loop = loop;
        this.timeoutNanos = limits.bodyTimeout().toNanos();
        this.minBytesPerSecond = limits.minBodyRate().bytes();
        this.onTimeout = onTimeout;
    }

    /** Starts a wait for the body's next piece, unless one is under way. */
    void waiting() {
        if (timer != null) {
            return;
        }
        waitingSince = loop.ticker().nanoTime();
        long left = Math.min(timeoutNanos, allowanceNanos() - waitedNanos);
        timer = loop.schedule(this::expired, Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    /** Ends the wait: a piece of {@code size} bytes arrived. */
    void received(long size) {
        stop();
        bytes += size;
    }

    /** Ends the wait without a piece: the request ended or was answered, or the connection closed. */
    void stop() {
        if (timer == null) {
            return;
        }
        timer.cancel(false);
        timer = null;
        waitedNanos += loop.ticker().nanoTime() - waitingSince;
    }

    /** Returns the failure of a body whose clock ran out: what arrived, and how long the gateway waited. */
    Failure failure() {
        long timeoutMillis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
        return Failure.of(FailureCode.REQUEST_BODY_TIMEOUT, "The request body stopped arriving after " + bytes
                + " bytes: the gateway waited " + waitedMillis + " ms in all for it, and allows " + timeoutMillis
                + " ms for any one wait, and more in all only to a body arriving at " + minBytesPerSecond
                + " bytes per second or faster.",
                Evidence.builder()
                        .put("bodyTimeoutMs", timeoutMillis)
                        .put("minBodyRate", minBytesPerSecond)
                        .put("requestBodyBytes", bytes)
                        .put("waitedMs", waitedMillis)
                        .build());
    }

    /** Returns the waiting the body may take in all: the timeout, and a second per {@code minBodyRate} bytes. */
    private long allowanceNanos() {
        return timeoutNanos + bytes / minBytesPerSecond * SECOND_NANOS
                + bytes % minBytesPerSecond * SECOND_NANOS / minBytesPerSecond;
    }

    private void expired() {
        timer = null;
        waitedNanos += loop.ticker().nanoTime() - waitingSince;
        onTimeout.run();
    }
}
