package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.failure.Failure;

/**
 * What the cache says about one request, and the means to act on it: serve a stored response, build
 * the origin request for a miss or a revalidation, or fall back to a stale copy when the origin fails.
 */
public final class CacheLookup {
    /** The cache's decision for a request. */
    public enum Kind {
        /** A fresh stored response (or one the client accepts stale): {@link #serve()} it. */
        HIT,
        /**
         * A stale response that stale-while-revalidate lets the cache serve now: {@link #serve()} it, and if
         * {@link #backgroundRevalidation()} is true start a revalidation through {@link SiteCache#tryFill}.
         */
        STALE,
        /** A stored response that must be validated first: join a fill with a conditional origin request. */
        MUST_REVALIDATE,
        /** Nothing usable is stored: join a fill. */
        MISS,
        /** The cache takes no part: go to the origin and do not store (method, no-store, hit-for-pass, disabled). */
        PASS,
        /** A gateway failure for this key is cached: answer {@link #failure()} again. */
        FAILURE,
        /** The client sent {@code only-if-cached} and nothing usable is stored: answer 504. */
        GATEWAY_TIMEOUT
    }

    final Kind kind;
    final SiteCache site;
    final CacheKey primary;
    final CacheKey key;
    final StoredResponse stored;
    final CachedFailure cachedFailure;
    final HttpHeaders request;
    final CacheControl requestCacheControl;
    final boolean head;
    final boolean authorized;
    final CacheStatus.Forward forward;
    final boolean revalidate;
    final long time;
    private final CacheStatus status;

    CacheLookup(Kind kind, SiteCache site, CacheKey primary, CacheKey key, StoredResponse stored, CachedFailure cachedFailure,
                HttpHeaders request, CacheControl requestCacheControl, boolean head, CacheStatus.Forward forward,
                boolean revalidate, long time, CacheStatus status) {
        this.kind = kind;
        this.site = site;
        this.primary = primary;
        this.key = key;
        this.stored = stored;
        this.cachedFailure = cachedFailure;
        this.request = request;
        this.requestCacheControl = requestCacheControl;
        this.head = head;
        this.authorized = request != null && request.contains(HttpHeaderNames.AUTHORIZATION);
        this.forward = forward;
        this.revalidate = revalidate;
        this.time = time;
        this.status = status;
    }

    /** Returns the decision. */
    public Kind kind() {
        return kind;
    }

    /** Returns the key, with the variant when the stored Vary index selected one; null for a method PASS or a disabled site. */
    public CacheKey key() {
        return key;
    }

    /** Returns whether this request should start the one background revalidation of a STALE response. */
    public boolean backgroundRevalidation() {
        return revalidate;
    }

    /** Returns whether a stored response (fresh, stale or to revalidate) was found. */
    public boolean hasStored() {
        return stored != null;
    }

    /** Returns whether concurrent misses may share this request's origin response (not with Authorization). */
    public boolean collapsible() {
        return !authorized;
    }

    /**
     * Returns the response to write for a HIT or STALE lookup (or a refreshed one): 200, 206, 304 or 416,
     * its body sharing the stored buffer; null when the stored response was evicted since, in which case
     * look up again.
     */
    public CacheResponse serve() {
        if (stored == null) {
            throw new IllegalStateException("kind: " + kind + " (expected: a lookup with a stored response)");
        }
        return Responder.respond(stored, head, request, site.now(), status);
    }

    /**
     * Returns the stale response to write instead of an origin failure, when stale-if-error (response or
     * request), the site's serveStaleOnError or, for an origin that could not be reached, the site's
     * staleIfUnreachable allows it, or null. Give the origin's status (0 if it did not answer) and the failure
     * code (null when the origin answered with an error status).
     */
    public CacheResponse serveStaleOnError(int originStatus, String failureCode) {
        return site.serveStaleOnError(this, originStatus, failureCode);
    }

    /**
     * Prepares the origin request's headers for a MISS or MUST_REVALIDATE: removes the client's own range
     * and conditional fields (the cache fetches the full representation) and, for a revalidation, adds
     * the stored validators as If-None-Match and If-Modified-Since. The origin method is GET also for HEAD.
     */
    public HttpHeaders prepareOriginRequest(HttpHeaders originRequest) {
        originRequest.remove(HttpHeaderNames.RANGE);
        originRequest.remove(HttpHeaderNames.IF_RANGE);
        originRequest.remove(HttpHeaderNames.IF_NONE_MATCH);
        originRequest.remove(HttpHeaderNames.IF_MODIFIED_SINCE);
        originRequest.remove(HttpHeaderNames.IF_MATCH);
        originRequest.remove(HttpHeaderNames.IF_UNMODIFIED_SINCE);
        if (stored != null && kind != Kind.PASS) {
            String etag = stored.etag();
            if (etag != null) {
                originRequest.set(HttpHeaderNames.IF_NONE_MATCH, etag);
            }
            String lastModified = stored.lastModified();
            if (lastModified != null) {
                originRequest.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
            }
        }
        return originRequest;
    }

    /** Returns the cached gateway failure of a FAILURE lookup. */
    public Failure failure() {
        if (cachedFailure == null) {
            throw new IllegalStateException("kind: " + kind + " (expected: FAILURE)");
        }
        return cachedFailure.failure();
    }

    /**
     * Returns the outcome to report: for HIT the one {@link #serve()} sets, for FAILURE an error hit, and
     * for requests that go to the origin the {@code fwd} reason, without {@code stored} (the fill reports that).
     */
    public CacheStatus cacheStatus() {
        if (kind == Kind.FAILURE) {
            long ttl = Math.floorDiv(cachedFailure.keepUntil() - time, 1000);
            return CacheStatus.cachedError(ttl, cachedFailure.failure().code().code());
        }
        if (status != null) {
            return status;
        }
        if (stored != null && (kind == Kind.HIT || kind == Kind.STALE)) {
            return stored.ageMemo(time).hit();
        }
        return CacheStatus.forward(forward == null ? CacheStatus.Forward.BYPASS : forward, false, false);
    }

    @Override
    public String toString() {
        return kind + " " + key;
    }
}
