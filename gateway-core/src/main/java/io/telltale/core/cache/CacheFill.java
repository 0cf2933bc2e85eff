package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.telltale.core.failure.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * One origin response on its way into the cache, fed by the request that leads the miss and streamed to
 * the requests collapsed onto it. It stores the response only when the body completes within the site's
 * {@code maxObjectSize}; a failed or cut body is never stored. A body larger than the memory tier keeps streams
 * into an object file as it arrives (when there is a disk tier), and the followers read it from there.
 *
 * <p>A request joins a fill only while the fill is younger than the site's {@code collapseTimeout} and has not
 * gone {@code collapseStall} without a byte; a fill that stalls, or passes its {@code fillDeadline}, lets its
 * followers go (they fetch on their own) and stores nothing, so no request inherits a dead fetch.
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
    private final List<FillFollower> subscribers = new ArrayList<>();
    private final List<ByteBuf> chunks = new ArrayList<>();
    private final FillFile file;

    private State state = State.WAITING;
    private HttpResponseStatus status;
    private HttpHeaders headers;
    private long responseTime;
    private long originAgeSeconds;
    private boolean storing;
    private long size;
    private long progressMillis;
    private CacheStatus cacheStatus;
    private StoredResponse committed;

    CacheFill(SiteCache site, CacheLookup lookup, boolean registered) {
        this.site = site;
        this.lookup = lookup;
        this.registered = registered;
        this.requestTime = site.now();
        this.progressMillis = requestTime;
        this.file = new FillFile(site);
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
            // Nothing is stored before the body's end: a head that leaves now must not claim it.
            cacheStatus = CacheStatus.forward(lookup.forward, false, false);
            state = State.STREAMING;
            progressMillis = now;
            AsciiString[] vary = storing ? VaryNames.of(headers) : VaryNames.NONE;
            boolean star = !storing && VaryNames.isStar(headers);
            String leaderVariant = vary.length == 0 ? null : KeyRecipe.values(vary, lookup.request);
            if (storing && CachePolicy.contentLength(headers) > file.memoryLimit()) {
                file.takeOver(List.of(), List.of(), 0);
            }
            for (int i = subscribers.size() - 1; i >= 0; i--) {
                FillFollower subscriber = subscribers.get(i);
                subscriber.cancelTimeout();
                if (star || leaderVariant != null && !leaderVariant.equals(KeyRecipe.values(vary, subscriber.request))) {
                    subscribers.remove(i);
                    subscriber.abort(new FillAbort(FillAbort.Reason.VARY_MISMATCH, false, 0, null));
                } else {
                    deliverHead(subscriber);
                    file.deliver(subscriber, 0);
                    subscriber.scheduleStallCheck(this, policy.collapseStallMillis());
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
            for (FillFollower subscriber : subscribers) {
                subscriber.cancelTimeout();
                if (!subscriber.replay(committed, CacheStatus.refreshHit(Math.floorDiv(committed.freshUntil - site.now(),
                        1000)), site.now())) {
                    // Gone meanwhile (or its file): the follower fetches it without the cache's help.
                    subscriber.abort(new FillAbort(FillAbort.Reason.STALLED, false, 0, null));
                }
            }
            subscribers.clear();
        }
        unregister();
        return refreshed;
    }

    /**
     * Receives a body chunk; the caller keeps its own reference (the fill retains what it keeps). A chunk past the
     * site's {@code fillDeadline} gives the fill up: the leader streams on, but nothing is stored.
     */
    public void content(ByteBuf chunk) {
        boolean abandoned = false;
        boolean tooLarge = false;
        synchronized (this) {
            if (state != State.STREAMING) {
                return;
            }
            progressMillis = site.now();
            if (progressMillis - requestTime >= site.policy().fillDeadlineMillis()) {
                letGo();
                abandoned = true;
            } else {
                if (!file.active()) {
                    for (FillFollower subscriber : subscribers) {
                        ByteBuf duplicate = chunk.retainedDuplicate();
                        subscriber.dispatch(() -> subscriber.listener.onContent(duplicate), duplicate);
                    }
                }
                if (storing) {
                    size += chunk.readableBytes();
                    if (size > file.sizeLimit()) {
                        tooLarge = true;
                        abandoned = true;
                        if (file.active()) {
                            // Its followers read from the file: they fetch the rest themselves.
                            letGo();
                        }
                        storing = false;
                        releaseChunks();
                    } else if (file.active()) {
                        if (!file.append(chunk)) {
                            letGo();
                            abandoned = true;
                        }
                    } else {
                        chunks.add(chunk.retainedDuplicate());
                        if (size > file.memoryLimit() && file.takeOver(chunks, subscribers, size)) {
                            releaseChunks();
                        }
                    }
                }
            }
        }
        if (abandoned) {
            unregister();
        }
        if (tooLarge) {
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
            boolean readingFile = file.active();
            boolean stored = false;
            if (storing && wholeBody()) {
                if (file.active()) {
                    stored = file.commit(lookup, status, headers, requestTime, responseTime, originAgeSeconds);
                } else {
                    committed = site.store(lookup, status, headers, chunks, size, requestTime, responseTime,
                            originAgeSeconds);
                    stored = true;
                }
            }
            if (stored) {
                cacheStatus = CacheStatus.forward(lookup.forward, true, false);
            } else {
                file.abandon();
            }
            releaseChunks();
            for (FillFollower subscriber : subscribers) {
                subscriber.cancelTimeout();
                if (!readingFile) {
                    // A follower reading the file completes once it has read the whole body.
                    subscriber.dispatch(subscriber.listener::onComplete, null);
                }
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
            file.abandon();
            for (FillFollower subscriber : subscribers) {
                subscriber.cancelTimeout();
                subscriber.abort(new FillAbort(FillAbort.Reason.ORIGIN_FAILED, subscriber.headDelivered, originStatus, failure));
            }
            subscribers.clear();
        }
        unregister();
    }

    /** Returns what the leader's response reports: {@code fwd} reason, and {@code stored} once the body is stored. */
    public synchronized CacheStatus cacheStatus() {
        return cacheStatus != null ? cacheStatus : CacheStatus.forward(lookup.forward, false, false);
    }

    /** Returns whether the response is still headed for the store. */
    public synchronized boolean storing() {
        return storing;
    }

    /** Adds a subscriber; returns false when the fill can no longer give it the whole response. */
    synchronized boolean subscribe(FillFollower subscriber) {
        long now = site.now();
        SitePolicy policy = site.policy();
        boolean young = now - requestTime < policy.collapseTimeoutMillis();
        long stall = policy.collapseStallMillis();
        switch (state) {
            case WAITING -> {
                if (!young) {
                    return false;
                }
                subscribers.add(subscriber);
                subscriber.scheduleTimeout(this, site.policy().collapseTimeoutMillis());
                return true;
            }
            case STREAMING -> {
                if (!storing || !young || now - progressMillis >= stall || !sameVariant(subscriber)) {
                    return false;
                }
                subscribers.add(subscriber);
                deliverHead(subscriber);
                for (ByteBuf chunk : chunks) {
                    ByteBuf duplicate = chunk.retainedDuplicate();
                    subscriber.dispatch(() -> subscriber.listener.onContent(duplicate), duplicate);
                }
                file.deliver(subscriber, 0);
                subscriber.scheduleStallCheck(this, stall - (now - progressMillis));
                return true;
            }
            case DONE -> {
                return committed != null && sameVariant(subscriber) && subscriber.replay(committed, cacheStatus(), site.now());
            }
            default -> {
                return false;
            }
        }
    }

    private boolean sameVariant(FillFollower subscriber) {
        AsciiString[] vary = VaryNames.of(headers);
        return vary.length == 0 || KeyRecipe.values(vary, lookup.request).equals(KeyRecipe.values(vary, subscriber.request));
    }

    /**
     * Runs on a follower's executor once the fill could have stalled: lets every follower go when no byte came
     * for {@code collapseStall} or the fill passed its deadline, else looks again when it next could have.
     */
    void checkStall(FillFollower subscriber) {
        synchronized (this) {
            if (state != State.STREAMING || !subscribers.contains(subscriber)) {
                return;
            }
            long now = site.now();
            SitePolicy policy = site.policy();
            long stallLeft = policy.collapseStallMillis() - (now - progressMillis);
            long deadlineLeft = policy.fillDeadlineMillis() - (now - requestTime);
            if (stallLeft > 0 && deadlineLeft > 0) {
                subscriber.scheduleStallCheck(this, Math.min(stallLeft, deadlineLeft));
                return;
            }
            letGo();
        }
        unregister();
    }

    /** Gives the fill up without failing the leader's own response: nothing is stored, every follower is let go. */
    private void letGo() {
        state = State.ABORTED;
        storing = false;
        releaseChunks();
        file.abandon();
        for (FillFollower subscriber : subscribers) {
            subscriber.cancelTimeout();
            subscriber.abort(new FillAbort(FillAbort.Reason.STALLED, subscriber.headDelivered, 0, null));
        }
        subscribers.clear();
    }

    synchronized void timedOut(FillFollower subscriber) {
        if (!subscriber.headDelivered && subscribers.remove(subscriber)) {
            subscriber.abort(new FillAbort(FillAbort.Reason.TIMED_OUT, false, 0, null));
        }
    }

    private void deliverHead(FillFollower subscriber) {
        HttpHeaders copy = Headers.newHeaders().add(headers);
        site.policy().targets().withhold(copy);
        CacheStatus.forward(lookup.forward, false, true).addTo(copy);
        subscriber.headDelivered = true;
        HttpResponseStatus headStatus = status;
        subscriber.dispatch(() -> subscriber.listener.onHead(headStatus, copy), null);
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
}
