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

    /** Creates the cache with the system ticker, Caffeine's default executor and pooled direct buffers. */
    public EdgeCache(CacheConfig config, Clock clock) {
        this(config, clock, Ticker.systemTicker(), ForkJoinPool.commonPool(), PooledByteBufAllocator.DEFAULT);
    }

    EdgeCache(CacheConfig config, Clock clock, Ticker ticker, Executor executor, ByteBufAllocator allocator) {
        Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.maxSize = config.maxSize().bytes();
        this.store = Caffeine.newBuilder()
                .maximumWeight(maxSize)
                .weigher((CacheKey key, Slot slot) -> slot.weight())
                .expireAfter(new KeepUntil())
                .ticker(ticker)
                .executor(executor)
                .removalListener(this::removed)
                .build();
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
            if (key.site().equals(site) && (bareHost == null || key.host().equals(bareHost))
                    && (prefix ? key.path().startsWith(path) : key.path().equals(path))) {
                removed += countsAsObject(store.asMap().remove(key));
            }
        }
        return removed;
    }

    /** Returns a snapshot of the counters. */
    public CacheStats stats() {
        store.cleanUp();
        long weighted = store.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new CacheStats(hits.sum(), misses.sum(), passes.sum(), staleServed.sum(), refreshHits.sum(),
                collapsed.sum(), stores.sum(), bytesStored.sum(), evictions.sum(), weighted, store.estimatedSize(),
                memoryObjects.sum(), maxSize, CacheStats.DiskStats.NONE);
    }

    /** Removes every entry, releasing every stored body. */
    @Override
    public void close() {
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

    /** Returns the slot under a key unless its time is up (Caffeine may not have reclaimed it yet). */
    Slot get(CacheKey key, long now) {
        Slot slot = store.getIfPresent(key);
        return slot == null || now >= slot.keepUntil() ? null : slot;
    }

    void put(CacheKey key, Slot slot) {
        if (slot instanceof StoredResponse) {
            memoryObjects.increment();
        }
        store.put(key, slot);
    }

    Slot remove(CacheKey key) {
        return store.asMap().remove(key);
    }

    /** Adds a variant to the Vary index of its primary key, replacing an index for other header names. */
    void index(CacheKey primary, VaryIndex index, String variant) {
        store.asMap().compute(primary, (key, old) -> {
            if (old instanceof VaryIndex existing && existing.sameNames(index.names())) {
                existing.variants().add(variant);
                return existing.keepUntil() >= index.keepUntil() ? existing
                        : new VaryIndex(existing.names(), existing.variants(), index.keepUntil());
            }
            index.variants().add(variant);
            return index;
        });
    }

    static int countsAsObject(Slot slot) {
        return slot instanceof StoredResponse || slot instanceof CachedFailure ? 1 : 0;
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

    /** Keeps each entry until its own keepUntil, converted from the wall clock to the ticker's time. */
    private final class KeepUntil implements Expiry<CacheKey, Slot> {
        @Override
        public long expireAfterCreate(CacheKey key, Slot slot, long currentTime) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, slot.keepUntil() - clock.millis()));
        }

        @Override
        public long expireAfterUpdate(CacheKey key, Slot slot, long currentTime, long currentDuration) {
            return expireAfterCreate(key, slot, currentTime);
        }

        @Override
        public long expireAfterRead(CacheKey key, Slot slot, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
