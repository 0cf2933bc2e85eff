/**
 * The shared edge cache (RFC 9111) on Caffeine: keys, freshness, validation, collapsed misses and serving stale.
 */
package io.telltale.core.cache;
