package io.telltale.core.config;

/**
 * The shared cache's global bounds.
 *
 * @param maxSize the most memory the memory tier's objects take: their buffers as allocated (headers and bodies)
 *     and what each entry costs besides
 * @param disk the disk tier, which keeps objects across restarts and beyond memory; none when absent
 */
public record CacheConfig(@Default("256MiB") DataSize maxSize, @Optional CacheDiskConfig disk) {
    /** Returns a cache held in memory only. */
    public CacheConfig(DataSize maxSize) {
        this(maxSize, null);
    }
}
