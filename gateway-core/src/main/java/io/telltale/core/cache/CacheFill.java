package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.telltale.core.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One origin response on its way into the cache, fed by the request that leads the miss and streamed to
 * the requests collapsed onto it. It stores the response only when the body completes within the site's
 * {@code maxObjectSize}; a failed or cut body is never stored.
 *
 * <p>The leader calls, from one thread: {@link #head} (or {@link #notModified} for a revalidation),
 * {@link #content} per chunk, then {@link #complete} or {@link #fail}.
 */
public final class CacheFill {
    private enum State { WAITING, STREAMING, DONE, ABORTED }

    private final SiteCache site;
    private final CacheLookup lookup;
    private final boolean registered;
    private final long requestTime;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<ByteBuf> chunks = new ArrayList<>();

    private State state = State.WAITING;
    private HttpResponseStatus status;
    private HttpHeaders headers;
    private long responseTime;
    private long originAgeSeconds;
    private boolean storing;
    private long size;
    private CacheStatus cacheStatus;
    private StoredResponse committed;

    CacheFill(SiteCache site, CacheLookup lookup, boolean registered) {
        this.site = site;
        this.lookup = lookup;
        this.registered = registered;
        this.requestTime = site.now();
    }

    /** Returns the lookup that started this fill. */
    public CacheLookup lookup() {
        return lookup;
    }

    /**
     * Receives the origin's response head and returns whether the response will be stored (if its body
     * completes in size); an uncacheable response is still streamed to the subscribers this once, and
     * marks the key hit-for-pass when the response itself forbids storing. The targeted cache-control
     * fields the site keeps from clients are removed from {@code originHeaders}, which the caller forwards.
     */
    public boolean head(HttpResponseStatus status, HttpHeaders originHeaders) {
        Verdict verdict;
        synchronized (this) {
            requireState(State.WAITING);
            long now = site.now();
            SitePolicy policy = site.policy();
            this.status = status;
            this.responseTime = now;
            // Read before the copy below drops Age with the other fields the cache computes itself.
            this.originAgeSeconds = CachePolicy.ageSeconds(originHeaders);
            this.headers = Headers.endToEnd(originHeaders, true);
            long sent = HttpDate.field(headers, HttpHeaderNames.DATE, now);
            long date = sent == HttpDate.INVALID ? now : sent;
            long initialAge = CachePolicy.correctedInitialAgeMillis(requestTime, now, date, originAgeSeconds);
            verdict = CachePolicy.storability(status.code(), !lookup.collapsible(), lookup.requestCacheControl,
                    policy.targets().directives(headers), headers, date, initialAge, policy);
            policy.targets().withhold(originHeaders);
            storing = verdict == Verdict.STORE;
            cacheStatus = CacheStatus.forward(lookup.forward, storing, false);
            state = State.STREAMING;
            AsciiString[] vary = storing ? VaryNames.of(headers) : VaryNames.NONE;
            boolean star = !storing && VaryNames.isStar(headers);
            String leaderVariant = vary.length == 0 ? null : KeyRecipe.values(vary, lookup.request);
            for (int i = subscribers.size() - 1; i >= 0; i--) {
                Subscriber subscriber = subscribers.get(i);
                subscriber.cancelTimeout();
                if (star || leaderVariant != null && !leaderVariant.equals(KeyRecipe.values(vary, subscriber.request))) {
                    subscribers.remove(i);
                    subscriber.abort(new FillAbort(FillAbort.Reason.VARY_MISMATCH, false, 0, null));
                } else {
                    deliverHead(subscriber);
                }
            }
        }
        if (!storing) {
            unregister();
            if (verdict.hitForPass()) {
                site.markPass(lookup.primary, verdict);
            }
        }
        return storing;
    }

    /**
     * Updates the stored response with the origin's 304 to a revalidation and returns the refreshed lookup to
     * serve (a RefreshHit); the subscribers receive the stored response. Returns null when the 304 does not
     * match what is stored: then fetch without validators and call {@link #head} on this same fill.
     */
    public CacheLookup notModified(HttpHeaders originHeaders) {
        CacheLookup refreshed = site.refresh(lookup, originHeaders, requestTime);
        if (refreshed == null) {
            return null;
        }
        synchronized (this) {
            requireState(State.WAITING);
            state = State.DONE;
            committed = refreshed.stored;
            for (Subscriber subscriber : subscribers) {
                subscriber.cancelTimeout();
                replayCommitted(subscriber, CacheStatus.refreshHit(Math.floorDiv(committed.freshUntil - site.now(), 1000)));
            }
            subscribers.clear();
        }
        unregister();
        return refreshed;
    }

    /** Receives a body chunk; the caller keeps its own reference (the fill retains what it keeps). */
    public void content(ByteBuf chunk) {
        boolean abandoned = false;
        synchronized (this) {
            if (state != State.STREAMING) {
                return;
            }
            if (storing) {
                size += chunk.readableBytes();
                if (size > site.policy().maxObjectSize()) {
                    storing = false;
                    abandoned = true;
                    releaseChunks();
                } else {
                    chunks.add(chunk.retainedDuplicate());
                }
            }
            for (Subscriber subscriber : subscribers) {
                ByteBuf duplicate = chunk.retainedDuplicate();
                subscriber.dispatch(() -> subscriber.listener.onContent(duplicate), duplicate);
            }
        }
        if (abandoned) {
            unregister();
            site.markPass(lookup.primary, Verdict.TOO_LARGE);
        }
    }

    /** Signals the end of the body: stores the response if it is storable and whole, and completes the subscribers. */
    public void complete() {
        synchronized (this) {
            if (state != State.STREAMING) {
                return;
            }
            state = State.DONE;
            if (storing && wholeBody()) {
                committed = site.store(lookup, status, headers, chunks, size, requestTime, responseTime, originAgeSeconds);
            }
            releaseChunks();
            for (Subscriber subscriber : subscribers) {
                subscriber.dispatch(subscriber.listener::onComplete, null);
            }
            subscribers.clear();
        }
        unregister();
    }

    /**
     * Ends the fill without storing: the origin failed ({@code failure}), answered with an error status the
     * subscribers may replace with a stale copy ({@code originStatus}), or the body was cut. Idempotent.
     */
    public void fail(int originStatus, Failure failure) {
        synchronized (this) {
            if (state == State.DONE || state == State.ABORTED) {
                return;
            }
            state = State.ABORTED;
            releaseChunks();
            for (Subscriber subscriber : subscribers) {
                subscriber.cancelTimeout();
                subscriber.abort(new FillAbort(FillAbort.Reason.ORIGIN_FAILED, subscriber.headDelivered, originStatus, failure));
            }
            subscribers.clear();
        }
        unregister();
    }

    /** Returns what the leader's response reports: {@code fwd} reason and whether it is stored. */
    public synchronized CacheStatus cacheStatus() {
        return cacheStatus != null ? cacheStatus : CacheStatus.forward(lookup.forward, false, false);
    }

    /** Returns whether the response is still headed for the store. */
    public synchronized boolean storing() {
        return storing;
    }

    /** Adds a subscriber; returns false when the fill can no longer give it the whole response. */
    synchronized boolean subscribe(Subscriber subscriber) {
        switch (state) {
            case WAITING -> {
                subscribers.add(subscriber);
                subscriber.scheduleTimeout(this, site.policy().collapseTimeoutMillis());
                return true;
            }
            case STREAMING -> {
                if (!storing || !sameVariant(subscriber)) {
                    return false;
                }
                subscribers.add(subscriber);
                deliverHead(subscriber);
                for (ByteBuf chunk : chunks) {
                    ByteBuf duplicate = chunk.retainedDuplicate();
                    subscriber.dispatch(() -> subscriber.listener.onContent(duplicate), duplicate);
                }
                return true;
            }
            case DONE -> {
                return committed != null && sameVariant(subscriber) && replayCommitted(subscriber, cacheStatus());
            }
            default -> {
                return false;
            }
        }
    }

    private boolean sameVariant(Subscriber subscriber) {
        AsciiString[] vary = VaryNames.of(headers);
        return vary.length == 0 || KeyRecipe.values(vary, lookup.request).equals(KeyRecipe.values(vary, subscriber.request));
    }

    private synchronized void timedOut(Subscriber subscriber) {
        if (!subscriber.headDelivered && subscribers.remove(subscriber)) {
            subscriber.abort(new FillAbort(FillAbort.Reason.TIMED_OUT, false, 0, null));
        }
    }

    private void deliverHead(Subscriber subscriber) {
        HttpHeaders copy = Headers.newHeaders().add(headers);
        site.policy().targets().withhold(copy);
        CacheStatus.forward(lookup.forward, storing, true).addTo(copy);
        subscriber.headDelivered = true;
        HttpResponseStatus headStatus = status;
        subscriber.dispatch(() -> subscriber.listener.onHead(headStatus, copy), null);
    }

    private boolean replayCommitted(Subscriber subscriber, CacheStatus replayStatus) {
        if (!committed.tryAcquire()) {
            return false;
        }
        try {
            HttpHeaders copy = committed.headers();
            copy.set(HttpHeaderNames.AGE, committed.ageMemo(site.now()).ageText());
            replayStatus.addTo(copy);
            HttpResponseStatus headStatus = committed.status;
            subscriber.headDelivered = true;
            subscriber.dispatch(() -> subscriber.listener.onHead(headStatus, copy), null);
            ByteBuf body = committed.retainedBody();
            subscriber.dispatch(() -> subscriber.listener.onContent(body), body);
            subscriber.dispatch(subscriber.listener::onComplete, null);
            return true;
        } finally {
            committed.release();
        }
    }

    private boolean wholeBody() {
        long declared = CachePolicy.contentLength(headers);
        return declared == CachePolicy.NONE || declared == size;
    }

    private void releaseChunks() {
        for (ByteBuf chunk : chunks) {
            chunk.release();
        }
        chunks.clear();
    }

    private void requireState(State expected) {
        if (state != expected) {
            throw new IllegalStateException("state: " + state + " (expected: " + expected + ")");
        }
    }

    private void unregister() {
        if (registered) {
            site.cache().fills().remove(lookup.key, this);
        }
    }

    /** A request waiting for this fill, on its own executor. */
    static final class Subscriber {
        final HttpHeaders request;
        final ScheduledExecutorService executor;
        final FillListener listener;
        boolean headDelivered;
        private ScheduledFuture<?> timeout;

        Subscriber(HttpHeaders request, ScheduledExecutorService executor, FillListener listener) {
            this.request = request;
            this.executor = executor;
            this.listener = listener;
        }

        void scheduleTimeout(CacheFill fill, long millis) {
            timeout = executor.schedule(() -> fill.timedOut(this), millis, TimeUnit.MILLISECONDS);
        }

        void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
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
}
