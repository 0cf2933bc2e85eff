package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A site's cache policy, in CloudFront's terms.
 *
 * @param enabled whether responses for this site are cached
 * @param minTtl the least time an object is kept fresh, whatever its headers say
 * @param defaultTtl the freshness of an object whose response gives none
 * @param maxTtl the most time an object is kept fresh
 * @param errorTtl how long an error response is cached (0 turns error caching off)
 * @param maxObjectSize objects larger than this stream through uncached
 * @param queryParameters the query parameters that form the key; null for all, empty for none
 * @param keyHeaders request headers that form the key
 * @param serveStaleOnError how long after expiry a stale copy is served when the origin fails
 * @param collapseTimeout how long a request waits for another request's miss of the same key
 */
public record SiteCacheConfig(
        @Default("true") boolean enabled,
        @Default("0s") Duration minTtl,
        @Default("0s") Duration defaultTtl,
        @Default("365d") Duration maxTtl,
        @Default("10s") Duration errorTtl,
        @Default("8MiB") DataSize maxObjectSize,
        @Optional List<String> queryParameters,
        List<String> keyHeaders,
        @Default("0s") Duration serveStaleOnError,
        @Default("10s") Duration collapseTimeout) {
}
