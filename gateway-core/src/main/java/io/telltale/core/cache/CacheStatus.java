package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * What the cache did for one response, as the two headers that say it: {@code X-Cache} in CloudFront's
 * words and the RFC 9211 {@code Cache-Status} member of this cache.
 *
 * <p>Outcomes without a per-response number are precomputed constants.
 */
public final class CacheStatus {
    /** The cache's name in Cache-Status. */
    public static final String NAME = "telltale";
    /** X-Cache of a response served from the cache. */
    public static final String X_HIT = "Hit from gateway";
    /** X-Cache of a response fetched from the origin. */
    public static final String X_MISS = "Miss from gateway";
    /** X-Cache of a stored response revalidated with a 304. */
    public static final String X_REFRESH_HIT = "RefreshHit from gateway";
    /** X-Cache of an error response. */
    public static final String X_ERROR = "Error from gateway";

    private static final CacheStatus[] FORWARDS = new CacheStatus[Forward.values().length * 4];

    static {
        for (Forward forward : Forward.values()) {
            for (int flags = 0; flags < 4; flags++) {
                String value = NAME + "; fwd=" + forward.token
                        + ((flags & 1) != 0 ? "; stored" : "") + ((flags & 2) != 0 ? "; collapsed" : "");
                FORWARDS[forward.ordinal() * 4 + flags] = new CacheStatus(X_MISS, value);
            }
        }
    }

    private final String xCache;
    private final String cacheStatus;

    private CacheStatus(String xCache, String cacheStatus) {
        this.xCache = xCache;
        this.cacheStatus = cacheStatus;
    }

    /** Why a request went to the origin, as RFC 9211's {@code fwd} parameter says it. */
    public enum Forward {
        /** The cache was configured not to serve or store it (disabled, hit-for-pass, Authorization). */
        BYPASS("bypass"),
        /** The method is not cacheable. */
        METHOD("method"),
        /** Nothing was stored for the URI. */
        URI_MISS("uri-miss"),
        /** Something was stored for the URI, but not for this request's Vary values. */
        VARY_MISS("vary-miss"),
        /** The request's own directives (no-cache, max-age, min-fresh, no-store) sent it forward. */
        REQUEST("request"),
        /** The stored response was stale and had to be revalidated. */
        STALE("stale");

        private final String token;

        Forward(String token) {
            this.token = token;
        }

        /** Returns the parameter's token. */
        public String token() {
            return token;
        }
    }

    /** Returns the status of a response served fresh from the cache with {@code ttl} seconds left. */
    public static CacheStatus hit(long ttlSeconds) {
        return new CacheStatus(X_HIT, NAME + "; hit; ttl=" + ttlSeconds);
    }

    /** Returns the status of a stored response served with a reason, e.g. stale within stale-while-revalidate. */
    public static CacheStatus hit(long ttlSeconds, String detail) {
        return new CacheStatus(X_HIT, NAME + "; hit; ttl=" + ttlSeconds + "; detail=" + detail);
    }

    /** Returns the status of a response fetched from the origin. */
    public static CacheStatus forward(Forward forward, boolean stored, boolean collapsed) {
        return FORWARDS[Objects.requireNonNull(forward, "forward").ordinal() * 4 + (stored ? 1 : 0) + (collapsed ? 2 : 0)];
    }

    /** Returns the status of a stored response that the origin confirmed with a 304. */
    public static CacheStatus refreshHit(long ttlSeconds) {
        return new CacheStatus(X_REFRESH_HIT, NAME + "; fwd=stale; fwd-status=304; stored; ttl=" + ttlSeconds);
    }

    /**
     * Returns the status of a stale response served because the origin failed: with the origin's status when
     * it answered ({@code fwdStatus > 0}) and the failure code when the gateway failed to reach it.
     */
    public static CacheStatus staleOnError(int fwdStatus, long ttlSeconds, String failureCode) {
        StringBuilder value = new StringBuilder(80).append(NAME).append("; fwd=stale");
        if (fwdStatus > 0) {
            value.append("; fwd-status=").append(fwdStatus);
        }
        value.append("; ttl=").append(ttlSeconds);
        if (failureCode != null) {
            value.append("; detail=").append(failureCode);
        }
        return new CacheStatus(X_HIT, value.toString());
    }

    /** Returns the status of a gateway failure answered from the cache, with the failure's code. */
    public static CacheStatus cachedError(long ttlSeconds, String failureCode) {
        return new CacheStatus(X_ERROR, NAME + "; hit; ttl=" + ttlSeconds + "; detail=" + failureCode);
    }

    /** Returns the same status with a {@code detail} string added, e.g. which cluster node the object came from. */
    public CacheStatus withDetail(String detail) {
        StringBuilder value = new StringBuilder(cacheStatus.length() + detail.length() + 12).append(cacheStatus)
                .append("; detail=\"");
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            if (c == '"' || c == '\\') {
                value.append('\\');
            }
            value.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return new CacheStatus(xCache, value.append('"').toString());
    }

    /** Returns the same Cache-Status with {@code X-Cache: Error from gateway}, for error responses. */
    public CacheStatus asError() {
        return new CacheStatus(X_ERROR, cacheStatus);
    }

    /** Returns the X-Cache value. */
    public String xCache() {
        return xCache;
    }

    /** Returns this cache's Cache-Status member. */
    public String cacheStatus() {
        return cacheStatus;
    }

    /** Sets X-Cache and appends this cache's member to Cache-Status (after any upstream cache's). */
    public void addTo(HttpHeaders headers) {
        headers.set(Headers.X_CACHE, xCache);
        headers.add(Headers.CACHE_STATUS, cacheStatus);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheStatus s && xCache.equals(s.xCache) && cacheStatus.equals(s.cacheStatus);
    }

    @Override
    public int hashCode() {
        return xCache.hashCode() * 31 + cacheStatus.hashCode();
    }

    @Override
    public String toString() {
        return "X-Cache: " + xCache + ", Cache-Status: " + cacheStatus;
    }
}
