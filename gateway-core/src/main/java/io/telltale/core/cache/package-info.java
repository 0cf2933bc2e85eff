/**
 * The shared edge cache (RFC 9111) on Caffeine: keys, freshness, validation, collapsed misses and serving stale.
 * An {@link io.telltale.core.cache.EdgeCache} holds every site's objects under one byte bound; each site looks
 * requests up through its {@link io.telltale.core.cache.SiteCache}, whose {@link io.telltale.core.cache.CacheLookup}
 * says HIT, STALE, MUST_REVALIDATE, MISS, PASS, FAILURE or GATEWAY_TIMEOUT; misses are fed through one
 * {@link io.telltale.core.cache.CacheFill} per key that concurrent requests subscribe to, and every answer carries
 * a {@link io.telltale.core.cache.CacheStatus} for {@code X-Cache} and {@code Cache-Status}. Only this package
 * imports Caffeine.
 */
package io.telltale.core.cache;
