package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One stored response: status, end-to-end headers, the body as one direct buffer, and everything the
 * hit path needs precomputed at store time (directives, validators, age inputs, fresh and stale limits).
 *
 * <p>The store holds one reference; a reader takes one with {@link #tryAcquire()} before slicing the
 * body, so an eviction racing a hit can never free the body under it.
 */
final class StoredResponse implements Slot {
    /** How long past its stale windows an object with validators is kept, so it can still be revalidated. */
    static final long VALIDATION_GRACE_MILLIS = 10 * 60 * 1000;

    private static final AtomicIntegerFieldUpdater<StoredResponse> REFS =
            AtomicIntegerFieldUpdater.newUpdater(StoredResponse.class, "refs");
    private static final AtomicLongFieldUpdater<StoredResponse> REVALIDATION =
            AtomicLongFieldUpdater.newUpdater(StoredResponse.class, "revalidationStartedAt");

    final CacheKey key;
    final HttpResponseStatus status;
    final HttpHeaders headers;
    /** The targeted fields kept from clients, still needed to read the directives again after a 304. */
    final HttpHeaders withheld;
    final ByteBuf body;
    /** The status line and stored fields as a full hit writes them, encoded once. */
    final ByteBuf encodedHead;
    final CacheControl cacheControl;
    final long requestTime;
    final long responseTime;
    final long dateMillis;
    final long correctedInitialAge;
    final long lifetime;
    final long freshUntil;
    final long staleWhileRevalidateUntil;
    final long staleIfErrorUntil;
    final long staleIfUnreachableUntil;
    final long keepUntil;
    final String etag;
    final String lastModified;
    final long lastModifiedMillis;
    final int weight;

    private volatile int refs = 1;
    private volatile long revalidationStartedAt = CachePolicy.NONE;
    private volatile AgeMemo memo = new AgeMemo(-1, "", null);

    /** Takes every end-to-end field in {@code headers}, which it keeps (less the withheld ones) as they are. */
    private StoredResponse(CacheKey key, HttpResponseStatus status, HttpHeaders headers, ByteBuf body,
                           long requestTime, long responseTime, long originAgeSeconds, SitePolicy site) {
        this.key = key;
        this.status = status;
        this.cacheControl = site.targets().directives(headers);
        this.withheld = site.targets().withhold(headers);
        this.headers = headers;
        this.body = body;
        this.requestTime = requestTime;
        this.responseTime = responseTime;
        this.dateMillis = HttpDate.field(headers, HttpHeaderNames.DATE, responseTime);
        this.correctedInitialAge = CachePolicy.correctedInitialAgeMillis(requestTime, responseTime, dateMillis, originAgeSeconds);
        this.lifetime = Math.max(0, CachePolicy.lifetimeMillis(status.code(), cacheControl, headers, dateMillis, site));
        this.freshUntil = responseTime + lifetime - correctedInitialAge;
        boolean staleAllowed = !cacheControl.forbidsStale();
        // s-maxage implies proxy-revalidate: only the response's own windows may relax it, never the site's.
        boolean siteWindows = staleAllowed && !cacheControl.onlyExplicitStaleWindows();
        long swr = staleAllowed ? Math.max(0, cacheControl.staleWhileRevalidate) * 1000 : 0;
        long sie = staleAllowed ? Math.max(0, cacheControl.staleIfError) * 1000 : 0;
        long onError = Math.max(sie, siteWindows ? site.serveStaleOnErrorMillis() : 0);
        long unreachable = Math.max(onError, siteWindows ? site.staleIfUnreachableMillis() : 0);
        this.staleWhileRevalidateUntil = freshUntil + swr;
        this.staleIfErrorUntil = freshUntil + onError;
        this.staleIfUnreachableUntil = freshUntil + unreachable;
        this.etag = headers.get(HttpHeaderNames.ETAG);
        this.lastModified = headers.get(HttpHeaderNames.LAST_MODIFIED);
        this.lastModifiedMillis = HttpDate.field(headers, HttpHeaderNames.LAST_MODIFIED, responseTime);
        long grace = etag != null || lastModified != null ? VALIDATION_GRACE_MILLIS : 0;
        // The grace runs from arrival at the earliest: a response stale on arrival is still kept to be revalidated.
        this.keepUntil = Math.max(freshUntil + Math.max(swr, unreachable), Math.max(freshUntil, responseTime) + grace);
        this.encodedHead = EncodedHead.of(status, headers);
        this.weight = (int) Math.min(Integer.MAX_VALUE, body.readableBytes() + Headers.size(headers)
                + Headers.size(withheld) + encodedHead.capacity() + 256L);
    }

    /**
     * Stores an origin response: takes ownership of the body (one reference), copies the end-to-end
     * headers, sets Content-Length to the body's length and gives it a valid Date. {@code originAgeSeconds}
     * is the Age the origin sent (the stored headers never keep it: hits compute their own).
     */
    static StoredResponse of(CacheKey key, HttpResponseStatus status, HttpHeaders originHeaders, ByteBuf body,
                             long requestTime, long responseTime, long originAgeSeconds, SitePolicy site) {
        HttpHeaders headers = Headers.endToEnd(originHeaders, false);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        datedOnArrival(headers, responseTime);
        return new StoredResponse(key, status, headers, body, requestTime, responseTime, originAgeSeconds, site);
    }

    /**
     * Returns this response updated by a 304 (RFC 9111 §4.3.4): its end-to-end fields replace the stored
     * ones except Content-Length; the body is shared. The caller must hold a reference.
     */
    StoredResponse refreshed(HttpHeaders notModified, long requestTime, long responseTime, SitePolicy site) {
        HttpHeaders update = Headers.endToEnd(notModified, false);
        HttpHeaders merged = Headers.newHeaders().add(headers).add(withheld);
        Iterator<Map.Entry<CharSequence, CharSequence>> names = update.iteratorCharSequence();
        while (names.hasNext()) {
            merged.remove(names.next().getKey());
        }
        merged.add(update);
        if (!update.contains(HttpHeaderNames.DATE)) {
            merged.remove(HttpHeaderNames.DATE);
        }
        datedOnArrival(merged, responseTime);
        return new StoredResponse(key, status, merged, body.retain(), requestTime, responseTime,
                CachePolicy.ageSeconds(notModified), site);
    }

    /** A response without a valid Date is dated when it arrived (RFC 9110 §6.6.1), so that hits send a true one. */
    private static void datedOnArrival(HttpHeaders headers, long responseTime) {
        if (HttpDate.field(headers, HttpHeaderNames.DATE, responseTime) == HttpDate.INVALID) {
            headers.set(HttpHeaderNames.DATE, HttpDate.format(responseTime));
        }
    }

    /** Takes a reference unless the store already dropped the last one; never throws. */
    boolean tryAcquire() {
        for (;;) {
            int current = refs;
            if (current <= 0) {
                return false;
            }
            if (REFS.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    @Override
    public void release() {
        if (REFS.decrementAndGet(this) == 0) {
            body.release();
            encodedHead.release();
        }
    }

    /** Returns the current age in milliseconds. */
    long ageMillis(long now) {
        return CachePolicy.currentAgeMillis(correctedInitialAge, responseTime, now);
    }

    /** Returns whether the response is fresh at this time. */
    boolean isFresh(long now) {
        return now < freshUntil;
    }

    /** Returns whether this response has a validator to revalidate it with. */
    boolean hasValidator() {
        return etag != null || lastModified != null;
    }

    /**
     * Claims the one background revalidation of this object; a claim older than {@code staleAfterMillis}
     * is taken over, so a revalidation that never reported back does not block the next.
     */
    boolean claimRevalidation(long now, long staleAfterMillis) {
        long started = revalidationStartedAt;
        if (started != CachePolicy.NONE && now - started < staleAfterMillis) {
            return false;
        }
        return REVALIDATION.compareAndSet(this, started, now);
    }

    /** Returns the Age value and the hit's Cache-Status for this time, reusing them within the same second. */
    AgeMemo ageMemo(long now) {
        long age = ageMillis(now) / 1000;
        AgeMemo current = memo;
        if (current.age() == age) {
            return current;
        }
        long ttl = Math.floorDiv(freshUntil - now, 1000);
        AgeMemo next = new AgeMemo(age, Long.toString(age), CacheStatus.hit(ttl));
        memo = next;
        return next;
    }

    @Override
    public long keepUntil() {
        return keepUntil;
    }

    @Override
    public int weight() {
        return weight;
    }

    /**
     * The per-second strings of a hit.
     *
     * @param age the Age in seconds
     * @param ageText the Age header value
     * @param hit the Cache-Status of a fresh hit at that age
     */
    record AgeMemo(long age, String ageText, CacheStatus hit) {
    }
}
