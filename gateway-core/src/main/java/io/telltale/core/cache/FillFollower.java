package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A request waiting for another request's {@link CacheFill}, on its own executor. */
final class FillFollower {
    final HttpHeaders request;
    final ScheduledExecutorService executor;
    final FillListener listener;
    boolean headDelivered;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> stallCheck;

    FillFollower(HttpHeaders request, ScheduledExecutorService executor, FillListener listener) {
        this.request = request;
        this.executor = executor;
        this.listener = listener;
    }

    /**
     * Replays a stored response: its head, then its body, a retained view of memory or, for a body on disk, its file
     * to read at this follower's own pace (never read whole into memory); false when the object or its file is gone.
     */
    boolean replay(StoredResponse stored, CacheStatus status, long now) {
        if (!stored.tryAcquire()) {
            return false;
        }
        try {
            StoredFile file = stored.disk() == null ? null : stored.disk().open(0, stored.bodyLength());
            if (stored.disk() != null && file == null) {
                return false;
            }
            HttpHeaders copy = stored.headers();
            copy.set(HttpHeaderNames.AGE, stored.ageMemo(now).ageText());
            status.addTo(copy);
            HttpResponseStatus headStatus = stored.status;
            headDelivered = true;
            dispatch(() -> listener.onHead(headStatus, copy), null);
            if (file != null) {
                FillBody body = FillBody.whole(file);
                try {
                    executor.execute(() -> listener.onFile(body, 0));
                } catch (RejectedExecutionException e) {
                    body.release();
                }
                return true;
            }
            ByteBuf body = stored.retainedBody();
            dispatch(() -> listener.onContent(body), body);
            dispatch(listener::onComplete, null);
            return true;
        } finally {
            stored.release();
        }
    }

    void scheduleTimeout(CacheFill fill, long millis) {
        timeout = executor.schedule(() -> fill.timedOut(this), millis, TimeUnit.MILLISECONDS);
    }

    void scheduleStallCheck(CacheFill fill, long millis) {
        try {
            stallCheck = executor.schedule(() -> fill.checkStall(this), Math.max(1, millis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The subscriber's loop is shutting down: no one is left to let go.
        }
    }

    void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (stallCheck != null) {
            stallCheck.cancel(false);
        }
    }

    void abort(FillAbort abort) {
        dispatch(() -> listener.onAbort(abort), null);
    }

    /** Runs an event on the subscriber's executor, releasing its buffer if the executor refuses it. */
    void dispatch(Runnable event, ByteBuf owned) {
        try {
            executor.execute(event);
        } catch (RejectedExecutionException e) {
            if (owned != null) {
                owned.release();
            }
        }
    }
}
