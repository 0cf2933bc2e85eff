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
 * @param bytesStored bytes the responses stored counted for, in total since start
 * @param evictions entries the memory tier removed for size or expiry
 * @param weightedSize bytes the memory tier counts now: its objects' buffers as allocated and each entry's overhead
 * @param entries entries in the memory tier (responses, Vary indexes, hit-for-pass marks, failures)
 * @param memoryObjects responses in the memory tier
 * @param memoryMaxBytes the memory tier's bound
 * @param disk the disk tier's figures, all 0 without a disk tier
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
        long entries,
        long memoryObjects,
        long memoryMaxBytes,
        DiskStats disk) {

    /**
     * The disk tier's figures.
     *
     * @param bytes bytes of object files held
     * @param objects objects held
     * @param maxBytes the tier's bound
     * @param hits responses served from a file
     * @param writeErrors objects that could not be written or read back (I/O errors, full disk)
     * @param dropped files found corrupt or truncated and removed
     * @param loadMillis how long reading the index at start took
     */
    public record DiskStats(long bytes, long objects, long maxBytes, long hits, long writeErrors, long dropped,
                            long loadMillis) {
        /** The figures of a cache without a disk tier. */
        public static final DiskStats NONE = new DiskStats(0, 0, 0, 0, 0, 0, 0);
    }
}
