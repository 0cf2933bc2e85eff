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
 * @param errorTtlMillis how long a gateway failure is kept, 0 for never
 * @param maxObjectSize the largest body stored, in bytes
 * @param serveStaleOnErrorMillis how long after expiry a copy may be served when the origin fails
 * @param staleIfUnreachableMillis how long after expiry a copy may be served when the origin cannot be reached
 * @param collapseTimeoutMillis how long a request waits for another request's fill, and the age past which a fill is
 *     not joined
 * @param collapseStallMillis how long a fill may go without progress before its followers are let go
 * @param fillDeadlineMillis the most time a fill may take before it stops storing and lets its followers go
 * @param targets the fields the site's directives come from and those withheld from clients
 */
record SitePolicy(
        boolean enabled,
        long minTtlMillis,
        long defaultTtlMillis,
        long maxTtlMillis,
        long errorTtlMillis,
        long maxObjectSize,
        long serveStaleOnErrorMillis,
        long staleIfUnreachableMillis,
        long collapseTimeoutMillis,
        long collapseStallMillis,
        long fillDeadlineMillis,
        TargetList targets) {

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
                config.staleIfUnreachable().toMillis(),
                config.collapseTimeout().toMillis(),
                config.collapseStall().toMillis(),
                config.fillDeadline().toMillis(),
                TargetList.of(config.targetedField(), config.removeTargetedField(), config.removeCdnCacheControl()));
    }

    /** Returns the lifetime clamped to the site's minimum and maximum TTL. */
    long clamp(long lifetimeMillis) {
        return Math.min(maxTtlMillis, Math.max(minTtlMillis, lifetimeMillis));
    }
}
