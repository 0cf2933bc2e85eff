package io.telltale.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.SiteCacheConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's one shared cache: a Caffeine store bounded by bytes (bodies and headers), each entry
 * kept until its freshness plus its longest stale window has passed, with the registry of in-flight fills.
 *
 * <p>Sites use it through {@link #site}. Freshness is judged by the injected {@link Clock}; the Ticker
 * only decides when Caffeine reclaims an expired entry's memory.
 */
public final class EdgeCache implements AutoCloseable {
    /** How long a key stays hit-for-pass after an uncacheable response. */
    public static final Duration HIT_FOR_PASS = Duration.ofSeconds(30);

    private final Clock clock;
    private final ByteBufAllocator allocator;
    private final Cache<CacheKey, Slot> store;
    private final ConcurrentMap<CacheKey, CacheFill> fills = new ConcurrentHashMap<>();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder passes = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder refreshHits = new LongAdder();
    final LongAdder collapsed = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder bytesStored = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder memoryObjects = new LongAdder();
    private final long maxSize;
    private final DiskTier disk;

    /** Creates the cache with the system ticker and pooled direct buffers, ready for the event loops. */
    public EdgeCache(CacheConfig config, Clock clock) {
        // The memory tier's upkeep runs on the thread that reads or writes (an event loop): handing it to the
        // common pool woke a pool thread and contended for Caffeine's lock several times a millisecond under
        // load, 4.5% of a pass-through request's CPU in a profile. The disk tier's upkeep deletes files, so it
        // stays off the event loops.
        this(config, clock, Ticker.systemTicker(), Runnable::run, ForkJoinPool.commonPool(),
                PooledByteBufAllocator.DEFAULT);
    }

    EdgeCache(CacheConfig config, Clock clock, Ticker ticker, Executor executor, ByteBufAllocator allocator) {
        this(config, clock, ticker, executor, executor, allocator);
    }

    private EdgeCache(CacheConfig config, Clock clock, Ticker ticker, Executor executor, Executor diskExecutor,
            ByteBufAllocator allocator) {
        Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.maxSize = config.maxSize().bytes();
        this.store = Caffeine.newBuilder()
                .maximumWeight(maxSize)
                .weigher((CacheKey key, Slot slot) -> slot.weight())
                .expireAfter(new KeepUntil(clock))
                .ticker(ticker)
                .executor(executor)
                .removalListener(this::removed)
                .build();
        this.disk = config.disk() == null ? null
                : new DiskTier(config.disk(), memoryObjectLimit(), clock, ticker, diskExecutor, allocator,
                        this::promoted);
    }

    /** Returns the cache of one site, with its config converted once; create it when the config is loaded. */
    public SiteCache site(String name, SiteCacheConfig config) {
        return new SiteCache(this, new KeyRecipe(name, config.queryParameters(), config.keyHeaders()), SitePolicy.of(config));
    }

    /**
     * Removes the stored responses of a site whose path equals {@code path}, or starts with it when
     * {@code prefix}; for one host only when {@code host} is not null. Returns how many were removed.
     */
    public int purge(String site, String host, String path, boolean prefix) {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(path, "path");
        String bareHost = host == null ? null : KeyRecipe.normaliseHost(host);
        int removed = 0;
        Iterator<CacheKey> keys = store.asMap().keySet().iterator();
        while (keys.hasNext()) {
            CacheKey key = keys.next();
            if (matches(key, site, bareHost, path, prefix)) {
                removed += countsAsObject(store.asMap().remove(key));
            }
        }
        if (disk != null) {
            for (CacheKey key : disk.keys()) {
                if (matches(key, site, bareHost, path, prefix)) {
                    Slot slot = disk.remove(key);
                    // An object in both tiers was counted once already.
                    removed += slot instanceof DiskEntry && store.getIfPresent(key) == null ? 1 : 0;
                }
            }
        }
        return removed;
    }

    private static boolean matches(CacheKey key, String site, String host, String path, boolean prefix) {
        return key.site().equals(site) && (host == null || key.host().equals(host))
                && (prefix ? key.path().startsWith(path) : key.path().equals(path));
    }

    /** Returns a snapshot of the counters. */
    public CacheStats stats() {
        store.cleanUp();
        long weighted = store.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new CacheStats(hits.sum(), misses.sum(), passes.sum(), staleServed.sum(), refreshHits.sum(),
                collapsed.sum(), stores.sum(), bytesStored.sum(), evictions.sum(), weighted, store.estimatedSize(),
                memoryObjects.sum(), maxSize, disk == null ? CacheStats.DiskStats.NONE : disk.stats());
    }

    /** Removes every entry, releasing every stored body. */
    @Override
    public void close() {
        if (disk != null) {
            disk.close();
        }
        store.invalidateAll();
        store.cleanUp();
    }

    long now() {
        return clock.millis();
    }

    ByteBufAllocator allocator() {
        return allocator;
    }

    ConcurrentMap<CacheKey, CacheFill> fills() {
        return fills;
    }

    /**
     * Returns the slot under a key unless its time is up (Caffeine may not have reclaimed it yet): from memory,
     * else from disk, where an object is read back (its head; the body stays in the file) for this one lookup.
     */
    Slot get(CacheKey key, long now) {
        Slot slot = store.getIfPresent(key);
        if (slot == null && disk != null) {
            slot = disk.get(key, now);
        }
        return slot == null || now >= slot.keepUntil() ? null : slot;
    }

    /**
     * Puts a slot in memory; a response is written to disk too, anything else hides what the disk held. A response
     * whose body is on disk (a 304 refreshed it) only gives its file the new head: memory keeps none of it.
     */
    void put(CacheKey key, Slot slot) {
        if (slot instanceof StoredResponse stored && stored.disk() != null) {
            store.asMap().remove(key);
            disk.refreshHead(stored);
            return;
        }
        if (slot instanceof StoredResponse stored) {
            memoryObjects.increment();
            // The disk's reference first: memory may evict a new object while putting it (its admission turns
            // away most objects of a scan), and such an object is just what the disk is for.
            boolean toDisk = disk != null && stored.tryAcquire();
            store.put(key, slot);
            if (toDisk) {
                disk.write(key, stored);
            }
            return;
        }
        store.put(key, slot);
        if (disk != null && !(slot instanceof CachedFailure)) {
            disk.remove(key);
        }
    }

    /** Returns the disk tier, or null when there is none. */
    DiskTier disk() {
        return disk;
    }

    /**
     * Returns the largest body the memory tier keeps while a disk tier exists: an eighth of it, so that one object
     * cannot push out most of the others; larger ones stream to disk as they arrive and are served from there.
     */
    long memoryObjectLimit() {
        return maxSize / 8;
    }

    /** Indexes an object streamed to disk; an older copy in memory goes, so that it is never found first. */
    boolean commitToDisk(DiskFill fill, StoredResponse head) {
        if (!disk.commit(fill, head)) {
            return false;
        }
        store.asMap().remove(head.key);
        return true;
    }

    /** Removes a key from both tiers; returns what memory held, else what the disk held. */
    Slot remove(CacheKey key) {
        Slot slot = store.asMap().remove(key);
        Slot onDisk = disk == null ? null : disk.remove(key);
        return slot != null ? slot : onDisk;
    }

    /** Adds a variant to the Vary index of its primary key, replacing an index for other header names. */
    void index(CacheKey primary, VaryIndex index, String variant) {
        VaryIndex.addVariant(store.asMap(), primary, index, variant);
    }

    static int countsAsObject(Slot slot) {
        return slot instanceof StoredResponse || slot instanceof CachedFailure || slot instanceof DiskEntry ? 1 : 0;
    }

    /** Takes an object the disk tier read back into memory, unless memory got one of its own meanwhile. */
    private void promoted(CacheKey key, StoredResponse stored) {
        memoryObjects.increment();
        if (store.asMap().putIfAbsent(key, stored) != null) {
            memoryObjects.decrement();
            stored.release();
        }
    }

    private void removed(CacheKey key, Slot slot, RemovalCause cause) {
        if (slot instanceof StoredResponse) {
            memoryObjects.decrement();
        }
        if (slot != null) {
            slot.release();
        }
        if (cause.wasEvicted()) {
            evictions.increment();
        }
    }
}
