package io.telltale.core.cache;

import io.telltale.core.config.SiteCacheConfig;
import java.util.Objects;

/**
 * A site's cache settings converted once to milliseconds and bytes, for the request path.
 *
 * @param enabled whether the site caches at all
 * @param minTtlMillis the least freshness lifetime
 * @param defaultTtlMillis the lifetime of a response that gives none and allows no heuristic
 * @param maxTtlMillis the most freshness lifetime
 * @param errorTtlMillis how long an error is kept, 0 for never
 * @param maxObjectSize the largest body stored, in bytes
 * @param serveStaleOnErrorMillis how long after expiry a copy may be served when the origin fails
 * @param collapseTimeoutMillis how long a request waits for another request's fill
 */
record SitePolicy(
        boolean enabled,
        long minTtlMillis,
        long defaultTtlMillis,
        long maxTtlMillis,
        long errorTtlMillis,
        long maxObjectSize,
        long serveStaleOnErrorMillis,
        long collapseTimeoutMillis) {

    /** Converts a site's config. */
    static SitePolicy of(SiteCacheConfig config) {
        Objects.requireNonNull(config, "config");
        return new SitePolicy(
                config.enabled(),
                config.minTtl().toMillis(),
                config.defaultTtl().toMillis(),
                config.maxTtl().toMillis(),
                config.errorTtl().toMillis(),
                config.maxObjectSize().bytes(),
                config.serveStaleOnError().toMillis(),
                config.collapseTimeout().toMillis());
    }

    /** Returns the lifetime clamped to the site's minimum and maximum TTL. */
    long clamp(long lifetimeMillis) {
        return Math.min(maxTtlMillis, Math.max(minTtlMillis, lifetimeMillis));
    }
}
