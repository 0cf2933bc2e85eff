package io.telltale.core.cache;

/**
 * A snapshot of the cache's counters, for binding to metrics.
 *
 * @param hits requests answered from a fresh stored response (including 304, 206 and 416 answers)
 * @param misses requests that needed the origin and could be stored (MISS and MUST_REVALIDATE)
 * @param passes requests the cache took no part in
 * @param staleServed stale responses served, within stale-while-revalidate or instead of an origin failure
 * @param refreshHits stored responses revalidated with a 304
 * @param collapsed requests that waited for another request's fill instead of going to the origin
 * @param stores responses stored
 * @param bytesStored bytes of the responses stored, in total since start
 * @param evictions stored entries removed for size or expiry
 * @param weightedSize bytes currently held
 * @param entries entries currently held (responses, Vary indexes, hit-for-pass marks, failures)
 */
public record CacheStats(
        long hits,
        long misses,
        long passes,
        long staleServed,
        long refreshHits,
        long collapsed,
        long stores,
        long bytesStored,
        long evictions,
        long weightedSize,
        long entries) {
}
