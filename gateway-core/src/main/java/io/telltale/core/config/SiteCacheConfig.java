package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A site's cache policy, in CloudFront's terms.
 *
 * @param enabled whether responses for this site are cached
 * @param minTtl the least time an object is kept fresh, whatever its headers say
 * @param defaultTtl the freshness of an object whose response gives none; 0 keeps such objects only to be
 *     revalidated, unless {@code Last-Modified} allows a heuristic freshness
 * @param maxTtl the most time an object is kept fresh
 * @param errorTtl how long a gateway failure (DNS, connect, TLS, timeout) is kept and answered again (0 turns it
 *     off); origin error statuses are cached only as their own headers allow
 * @param maxObjectSize objects larger than this stream through uncached
 * @param queryParameters the query parameters that form the key; null for all, empty for none
 * @param keyHeaders request headers that form the key
 * @param serveStaleOnError how long after expiry a stale copy is served when the origin fails or answers 500, 502,
 *     503 or 504
 * @param staleIfUnreachable how long after expiry a stale copy is served when the origin cannot be reached at all
 *     (RFC 9111 §4.2.4), unless the response forbids it; 0 turns it off
 * @param collapseTimeout how long a request waits for another request's miss of the same key; a fill older than
 *     this is not joined, the request fetches on its own
 * @param collapseStall how long a fill may go without a byte from the origin before requests stop joining it and
 *     the requests following it are let go
 * @param fillDeadline the most time a fill may take from its request to its body's end; beyond, the response is
 *     not stored and the requests following it are let go (the leading request's own response goes on)
 * @param targetedField the response field whose cache directives are for this gateway alone (RFC 9213): it takes
 *     precedence over {@code CDN-Cache-Control}, which takes precedence over {@code Cache-Control} and {@code Expires}
 * @param removeTargetedField whether the targeted field is removed from the responses clients receive
 * @param removeCdnCacheControl whether {@code CDN-Cache-Control} is removed from the responses clients receive
 *     (kept by default for the CDN caches downstream, as RFC 9213 §3 expects)
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
        @Default("1h") Duration staleIfUnreachable,
        @Default("10s") Duration collapseTimeout,
        @Default("2s") Duration collapseStall,
        @Default("60s") Duration fillDeadline,
        @Default("Telltale-Cache-Control") String targetedField,
        @Default("true") boolean removeTargetedField,
        @Default("false") boolean removeCdnCacheControl) {
}
