package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.telltale.core.cache.CacheLookup.Kind;
import io.telltale.core.cache.CacheStatus.Forward;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.http.Methods;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One site's view of the edge cache: looks requests up, runs fills for misses, invalidates after unsafe
 * methods and keeps gateway failures, all under the site's key recipe and TTL policy.
 */
public final class SiteCache {
    private final EdgeCache cache;
    private final KeyRecipe recipe;
    private final SitePolicy policy;

    SiteCache(EdgeCache cache, KeyRecipe recipe, SitePolicy policy) {
        this.cache = cache;
        this.recipe = recipe;
        this.policy = policy;
    }

    /**
     * Looks a request up: {@code host} as routed (port and case are ignored), {@code uri} in origin or
     * absolute form. Never throws for anything a client can send.
     */
    public CacheLookup lookup(HttpMethod method, String scheme, String host, String uri, HttpHeaders headers) {
        boolean head = HttpMethod.HEAD.equals(method);
        long now = cache.now();
        if (!policy.enabled()) {
            return pass(null, headers, head, Forward.BYPASS, now);
        }
        if (!head && !HttpMethod.GET.equals(method)) {
            return pass(null, headers, head, Forward.METHOD, now);
        }
        CacheControl cc = CacheControl.of(headers);
        CacheKey primary = recipe.keyOf(scheme, host, uri, headers);
        CacheKey key = primary;
        Forward miss = Forward.URI_MISS;
        Slot slot = cache.get(primary, now);
        if (slot instanceof VaryIndex index) {
            key = primary.withVariant(index.variantOf(headers));
            slot = cache.get(key, now);
            miss = Forward.VARY_MISS;
        }
        if (slot instanceof PassMark) {
            return pass(primary, headers, head, Forward.BYPASS, now);
        }
        CacheLookup found = slot instanceof StoredResponse stored
                ? evaluate(stored, primary, key, headers, cc, head, now)
                : forward(Kind.MISS, primary, key, null, headers, cc, head, miss, now);
        if (cc.noCache || found.kind != Kind.HIT && found.kind != Kind.MISS && found.kind != Kind.MUST_REVALIDATE
                || !(cache.get(failureKey(primary), now) instanceof CachedFailure failure)) {
            return found;
        }
        String code = failure.failure().code().code();
        if (found.kind == Kind.HIT) {
            // A stale copy the client asked for (max-stale) says which failure it stands in for.
            return found.stored.freshUntil > now ? found
                    : hit(Kind.HIT, found.stored, primary, key, headers, cc, head, false, now,
                            CacheStatus.hit(Math.floorDiv(found.stored.freshUntil - now, 1000), code));
        }
        if (failure.claimProbe(now)) {
            return found;
        }
        cache.misses.decrement();
        if (found.stored != null && now < staleLimit(found, 0, code)) {
            cache.staleServed.increment();
            return hit(Kind.HIT, found.stored, primary, key, headers, cc, head, false, now,
                    CacheStatus.hit(Math.floorDiv(found.stored.freshUntil - now, 1000), code));
        }
        cache.hits.increment();
        return new CacheLookup(Kind.FAILURE, this, primary, key, null, failure, headers, cc, head, null, false, now, null);
    }

    /** Returns the key a gateway failure is kept under, beside the URI's stored object rather than over it. */
    static CacheKey failureKey(CacheKey primary) {
        return primary.withVariant("\0failure");
    }

    private CacheLookup evaluate(StoredResponse stored, CacheKey primary, CacheKey key, HttpHeaders headers,
                                 CacheControl cc, boolean head, long now) {
        long age = stored.ageMillis(now);
        long left = stored.freshUntil - now;
        boolean revalidationRequired = cc.noCache || stored.noCache();
        if (!revalidationRequired && left > 0
                && (cc.maxAge == CacheControl.ABSENT || age <= cc.maxAge * 1000)
                && (cc.minFresh == CacheControl.ABSENT || left >= cc.minFresh * 1000)) {
            cache.hits.increment();
            return hit(Kind.HIT, stored, primary, key, headers, cc, head, false, now, null);
        }
        if (!revalidationRequired && left <= 0 && !stored.forbidsStale()) {
            if (cc.maxStale != CacheControl.ABSENT && -left <= saturatedMillis(cc.maxStale)) {
                cache.hits.increment();
                return hit(Kind.HIT, stored, primary, key, headers, cc, head, false, now, null);
            }
            if (now < stored.staleWhileRevalidateUntil && cc.maxAge == CacheControl.ABSENT) {
                cache.staleServed.increment();
                boolean revalidate = stored.claimRevalidation(now, Math.max(1000, policy.collapseTimeoutMillis()));
                return hit(Kind.STALE, stored, primary, key, headers, cc, head, revalidate, now,
                        CacheStatus.hit(Math.floorDiv(left, 1000), "stale-while-revalidate"));
            }
        }
        Forward reason = left > 0 && !stored.noCache() ? Forward.REQUEST : Forward.STALE;
        return forward(Kind.MUST_REVALIDATE, primary, key, stored, headers, cc, head, reason, now);
    }

    private static long saturatedMillis(long seconds) {
        return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
    }

    private CacheLookup hit(Kind kind, StoredResponse stored, CacheKey primary, CacheKey key, HttpHeaders headers,
                            CacheControl cc, boolean head, boolean revalidate, long now, CacheStatus status) {
        return new CacheLookup(kind, this, primary, key, stored, null, headers, cc, head, null, revalidate, now, status);
    }

    private CacheLookup forward(Kind kind, CacheKey primary, CacheKey key, StoredResponse stored, HttpHeaders headers,
                                CacheControl cc, boolean head, Forward reason, long now) {
        if (cc.onlyIfCached) {
            return new CacheLookup(Kind.GATEWAY_TIMEOUT, this, primary, key, stored, null, headers, cc, head, reason, false, now, null);
        }
        if (cc.noStore) {
            return pass(primary, headers, head, Forward.REQUEST, now);
        }
        cache.misses.increment();
        return new CacheLookup(kind, this, primary, key, stored, null, headers, cc, head, reason, false, now, null);
    }

    private CacheLookup pass(CacheKey primary, HttpHeaders headers, boolean head, Forward reason, long now) {
        cache.passes.increment();
        return new CacheLookup(Kind.PASS, this, primary, primary, null, null, headers, CacheControl.NONE, head, reason, false, now, null);
    }

    /**
     * Starts the fill for a MISS or MUST_REVALIDATE and returns it when this request leads (it must then
     * fetch from the origin and feed the fill); returns null when it joined another request's fill, whose
     * response {@code listener} receives on {@code executor} (the request's event loop), which also times
     * the wait. The executor must not run tasks inline.
     */
    public CacheFill join(CacheLookup lookup, ScheduledExecutorService executor, FillListener listener) {
        requireFillable(lookup);
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(listener, "listener");
        if (!lookup.collapsible()) {
            return new CacheFill(this, lookup, false);
        }
        FillFollower subscriber = new FillFollower(lookup.request, executor, listener);
        CacheFill[] created = new CacheFill[1];
        cache.fills().compute(lookup.key, (key, existing) -> {
            if (existing != null && existing.subscribe(subscriber)) {
                return existing;
            }
            created[0] = new CacheFill(this, lookup, true);
            return created[0];
        });
        if (created[0] == null) {
            cache.collapsed.increment();
        }
        return created[0];
    }

    /**
     * Returns a fill for a background revalidation of a STALE lookup, or for any fillable lookup, unless
     * another fill of the key is in flight (then null: nothing to do).
     */
    public CacheFill tryFill(CacheLookup lookup) {
        if (lookup.kind != Kind.STALE) {
            requireFillable(lookup);
        }
        CacheFill[] created = new CacheFill[1];
        cache.fills().computeIfAbsent(lookup.key, key -> created[0] = new CacheFill(this, lookup, true));
        return created[0];
    }

    private static void requireFillable(CacheLookup lookup) {
        if (lookup.kind != Kind.MISS && lookup.kind != Kind.MUST_REVALIDATE) {
            throw new IllegalArgumentException("kind: " + lookup.kind + " (expected: MISS or MUST_REVALIDATE)");
        }
    }

    /**
     * Invalidates the stored responses for the request URI and for same-host Location and Content-Location
     * URIs after an unsafe method got a 2xx or 3xx (RFC 9111 §4.4); returns how many were removed.
     */
    public int invalidate(HttpMethod method, String scheme, String host, String uri, HttpHeaders requestHeaders,
                          int status, HttpHeaders responseHeaders) {
        if (Methods.isSafe(method) || status < 200 || status >= 400) {
            return 0;
        }
        int removed = removeUri(recipe.keyOf(scheme, host, uri, requestHeaders));
        String bareHost = KeyRecipe.normaliseHost(host);
        for (String location : new String[] {
                responseHeaders.get(HttpHeaderNames.LOCATION), responseHeaders.get(HttpHeaderNames.CONTENT_LOCATION)}) {
            String target = location == null ? null : sameHostTarget(location, scheme, bareHost);
            if (target != null) {
                removed += removeUri(recipe.keyOf(scheme, host, target, requestHeaders));
            }
        }
        return removed;
    }

    /** Returns the origin-form target of a URI reference when it points at the same host, else null. */
    private static String sameHostTarget(String reference, String scheme, String host) {
        if (reference.startsWith("/") && !reference.startsWith("//")) {
            return reference;
        }
        String prefix = scheme + "://";
        if (!reference.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return null;
        }
        int slash = reference.indexOf('/', prefix.length());
        String authority = reference.substring(prefix.length(), slash < 0 ? reference.length() : slash);
        if (!KeyRecipe.normaliseHost(authority).equals(host)) {
            return null;
        }
        return slash < 0 ? "/" : reference.substring(slash);
    }

    private int removeUri(CacheKey primary) {
        Slot slot = cache.remove(primary);
        int removed = EdgeCache.countsAsObject(slot) + EdgeCache.countsAsObject(cache.remove(failureKey(primary)));
        if (slot instanceof VaryIndex index) {
            for (String variant : index.variants()) {
                removed += EdgeCache.countsAsObject(cache.remove(primary.withVariant(variant)));
            }
        }
        return removed;
    }

    /**
     * Keeps a gateway failure for a MISS or MUST_REVALIDATE key for the site's {@code errorTtl}, so that
     * repeated requests are answered at once; returns whether it was kept.
     */
    public boolean storeFailure(CacheLookup lookup, Failure failure) {
        Objects.requireNonNull(failure, "failure");
        if (policy.errorTtlMillis() <= 0 || lookup.primary == null || !lookup.collapsible()
                || lookup.kind != Kind.MISS && lookup.kind != Kind.MUST_REVALIDATE) {
            return false;
        }
        long now = cache.now();
        cache.put(failureKey(lookup.primary), new CachedFailure(failure, now, now + policy.errorTtlMillis()));
        return true;
    }

    CacheResponse serveStaleOnError(CacheLookup lookup, int originStatus, String failureCode) {
        StoredResponse stored = lookup.stored;
        long now = cache.now();
        if (now >= staleLimit(lookup, originStatus, failureCode)) {
            return null;
        }
        long ttl = Math.floorDiv(stored.freshUntil - now, 1000);
        CacheResponse response = Responder.respond(stored, lookup.head, lookup.request, now,
                CacheStatus.staleOnError(originStatus, ttl, failureCode));
        if (response != null) {
            cache.staleServed.increment();
        }
        return response;
    }

    /**
     * Returns until when the lookup's stored copy may stand in for an origin failure (the origin's {@code originStatus},
     * or 0 and the gateway's {@code failureCode}), or {@link Long#MIN_VALUE} when it may not at all.
     */
    private static long staleLimit(CacheLookup lookup, int originStatus, String failureCode) {
        StoredResponse stored = lookup.stored;
        if (stored == null || stored.forbidsStale()
                || originStatus != 0 && !CachePolicy.staleIfErrorStatus(originStatus)) {
            return Long.MIN_VALUE;
        }
        long limit = originStatus == 0 && unreachable(failureCode) ? stored.staleIfUnreachableUntil : stored.staleIfErrorUntil;
        long requested = lookup.requestCacheControl.staleIfError;
        if (requested != CacheControl.ABSENT) {
            limit = Math.max(limit, stored.freshUntil + saturatedMillis(requested));
        }
        return limit;
    }

    /**
     * Returns whether a gateway failure means that the origin gave no usable answer at all (RFC 9111 §4.2.4's
     * "disconnected"): not resolved, not connected, no TLS, or no valid response in time; an edge rule that refused
     * the origin's answer is not such a failure.
     */
    private static boolean unreachable(String failureCode) {
        FailureCode code = failureCode == null ? null : FailureCode.byCode(failureCode);
        if (code == null) {
            return false;
        }
        return switch (code.phase()) {
            case DNS, CONNECT, TLS, RESPONSE -> true;
            default -> false;
        };
    }

    /**
     * Removes from a response the targeted cache-control fields the site keeps from clients; the cache does it
     * itself for what it fills and serves, so this is for responses that pass it by (a PASS lookup).
     */
    public void withholdTargetedFields(HttpHeaders response) {
        policy.targets().withhold(response);
    }

    /** Updates the stored response a lookup found with a 304, or returns null when the 304 does not match it. */
    CacheLookup refresh(CacheLookup lookup, HttpHeaders notModified, long requestTime) {
        StoredResponse old = lookup.stored;
        if (old == null || !old.tryAcquire()) {
            return null;
        }
        try {
            String etag = notModified.get(HttpHeaderNames.ETAG);
            if (etag != null && !etag.equals(old.etag())) {
                return null;
            }
            long now = cache.now();
            StoredResponse refreshed = old.refreshed(notModified, requestTime, now, policy, cache.allocator());
            cache.put(old.key, refreshed);
            cache.remove(failureKey(lookup.primary));
            cache.refreshHits.increment();
            long ttl = Math.floorDiv(refreshed.freshUntil - now, 1000);
            return new CacheLookup(Kind.HIT, this, lookup.primary, old.key, refreshed, null, lookup.request,
                    lookup.requestCacheControl, lookup.head, Forward.STALE, false, now, CacheStatus.refreshHit(ttl));
        } finally {
            old.release();
        }
    }

    /** Stores a completed response under the lookup's key, or its variant key when the response varies. */
    StoredResponse store(CacheLookup lookup, HttpResponseStatus status, HttpHeaders headers,
                         List<ByteBuf> body, long size, long requestTime, long responseTime, long originAgeSeconds) {
        AsciiString[] vary = VaryNames.of(headers);
        CacheKey key = lookup.primary;
        String variant = null;
        if (vary.length > 0) {
            variant = KeyRecipe.values(vary, lookup.request);
            key = lookup.primary.withVariant(variant);
        }
        StoredResponse stored = StoredResponse.of(key, status, headers, body, size, requestTime, responseTime,
                originAgeSeconds, policy, cache.allocator());
        if (variant != null) {
            cache.index(lookup.primary, new VaryIndex(vary, ConcurrentHashMap.newKeySet(), stored.keepUntil), variant);
        }
        cache.put(key, stored);
        cache.remove(failureKey(lookup.primary));
        cache.stores.increment();
        cache.bytesStored.add(stored.weight);
        return stored;
    }

    /** Remembers a key as hit-for-pass for a while. */
    void markPass(CacheKey primary, Verdict verdict) {
        cache.put(primary, new PassMark(verdict.detail(), cache.now() + EdgeCache.HIT_FOR_PASS.toMillis()));
    }

    /** Returns whether the cache has a disk tier, which keeps objects larger than memory. */
    public boolean hasDiskTier() {
        return cache.disk() != null;
    }

    SitePolicy policy() {
        return policy;
    }

    EdgeCache cache() {
        return cache;
    }

    long now() {
        return cache.now();
    }
}
