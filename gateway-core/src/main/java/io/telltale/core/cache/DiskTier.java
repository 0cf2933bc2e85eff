package io.telltale.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import io.telltale.core.config.CacheDiskConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's second tier: one file per object in a directory, indexed in memory by a Caffeine cache bounded by the
 * files' bytes (the same eviction policy as the memory tier), written by a background thread once an object in
 * memory is whole (or as a larger one streams in, {@link DiskFill}), read back at start so that a restart keeps every
 * object. An I/O error never fails a request: the object is simply not on disk, and the error is counted.
 */
final class DiskTier implements AutoCloseable {
    /** Objects up to this many body bytes (and no larger than memory keeps) go back into memory after a disk hit. */
    static final long PROMOTE_LIMIT = 1 << 20;
    /** The most memory (objects' weights, not only bodies) waiting to be written; past it objects are not written. */
    static final long BACKLOG_LIMIT = 64L << 20;
    /** The heap one indexed object holds (226 bytes measured by DiskTierMeasurement, rounded up for Vary entries). */
    static final long INDEX_BYTES_PER_OBJECT = 256;

    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);

    private final Path directory;
    private final long maxSize;
    private final int minWeight;
    private final long promoteLimit;
    private final ByteBufAllocator allocator;
    private final BiConsumer<CacheKey, StoredResponse> promoted;
    private final Cache<CacheKey, Slot> index;
    private final ConcurrentMap<CacheKey, StoredResponse> pending = new ConcurrentHashMap<>();
    private final Set<CacheKey> promoting = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean errorLogged = new AtomicBoolean();
    private final LongAdder objects = new LongAdder();
    private final LongAdder hits = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final long loadMillis;

    DiskTier(CacheDiskConfig config, long memoryObjectLimit, Clock clock, Ticker ticker, Executor executor,
             ByteBufAllocator allocator, BiConsumer<CacheKey, StoredResponse> promoted) {
        this.directory = Path.of(config.path()).toAbsolutePath();
        this.maxSize = config.maxSize().bytes();
        this.minWeight = minWeight(maxSize, Runtime.getRuntime().maxMemory());
        this.promoteLimit = Math.min(PROMOTE_LIMIT, memoryObjectLimit);
        this.allocator = allocator;
        this.promoted = promoted;
        this.index = Caffeine.newBuilder()
                .maximumWeight(maxSize)
                .weigher((CacheKey key, Slot slot) -> Math.max(slot.weight(), minWeight))
                .expireAfter(new KeepUntil(clock))
                .ticker(ticker)
                .executor(executor)
                .removalListener(this::removed)
                .build();
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "telltale-cache-disk");
            thread.setDaemon(true);
            return thread;
        });
        long start = System.nanoTime();
        load(clock.millis());
        this.loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.info("cache disk tier: {} objects ({} bytes) ready from {} in {} ms; at most {} objects", objects.sum(),
                bytes(), directory, loadMillis, maxSize / minWeight);
    }

    /**
     * Returns the least an object counts against the tier's size, so that the index of many small objects fits in a
     * quarter of the heap: 10 GiB of 1 KiB objects would otherwise index ten million objects, 2.4 GiB of heap, and
     * the process would die of it instead of evicting.
     */
    static int minWeight(long maxSize, long maxHeap) {
        long maxObjects = Math.max(1024, maxHeap / 4 / INDEX_BYTES_PER_OBJECT);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxSize / maxObjects));
    }

    /**
     * Indexes the object files in the directory; of two files for one key (a stop came between writing the new one
     * and deleting the old) the newer is kept.
     */
    private void load(long now) {
        DiskLoad load = new DiskLoad(directory, now, this::failed);
        load.run((entry, varyNames) -> {
            if (varyNames != null) {
                indexVariant(entry.key, varyNames, entry.keepUntil());
            }
            Slot kept = index.asMap().merge(entry.key, entry,
                    (old, loaded) -> old instanceof DiskEntry o && o.id > entry.id ? old : loaded);
            if (kept == entry) {
                objects.increment();
            } else {
                DiskFiles.delete(file(entry));
            }
        });
        nextId.set(load.nextId());
        dropped.add(load.dropped());
    }

    /** Returns what the tier holds under a key: a Vary index, the object read back for one lookup, or null. */
    Slot get(CacheKey key, long now) {
        Slot slot = index.getIfPresent(key);
        if (slot == null || now >= slot.keepUntil()) {
            return null;
        }
        if (!(slot instanceof DiskEntry entry)) {
            return slot;
        }
        try (FileChannel channel = FileChannel.open(file(entry), StandardOpenOption.READ)) {
            StoredResponse stored = restored(channel, entry);
            if (entry.bodyLength <= promoteLimit && promoting.add(key)) {
                promote(entry);
            }
            return stored;
        } catch (IOException e) {
            readFailed(entry, e);
            return null;
        }
    }

    private StoredResponse restored(FileChannel channel, DiskEntry entry) throws IOException {
        DiskFiles.Tail tail = DiskFiles.readTail(channel, entry);
        if (!tail.key().equals(entry.key)) {
            throw new DiskFiles.CorruptFile("it holds another key");
        }
        return StoredResponse.restored(tail, Unpooled.wrappedBuffer(tail.head()), new DiskBody(this, entry));
    }

    /** Reads a small object back into memory in the background, so that its next hits are memory hits. */
    private void promote(DiskEntry entry) {
        try {
            writer.execute(() -> {
                try {
                    if (index.getIfPresent(entry.key) != entry) {
                        return;
                    }
                    try (FileChannel channel = FileChannel.open(file(entry), StandardOpenOption.READ)) {
                        DiskFiles.Tail tail = DiskFiles.readTail(channel, entry);
                        ByteBuf block = DiskFiles.readBody(channel, entry, tail.head(), allocator);
                        promoted.accept(entry.key, StoredResponse.restored(tail, block, null));
                    } catch (IOException e) {
                        readFailed(entry, e);
                    }
                } finally {
                    promoting.remove(entry.key);
                }
            });
        } catch (RejectedExecutionException e) {
            promoting.remove(entry.key);
        }
    }

    /** Opens part of an object's body to send it; null when the file is gone or unreadable (a miss). */
    StoredFile open(DiskEntry entry, long first, long count) {
        try {
            FileChannel channel = FileChannel.open(file(entry), StandardOpenOption.READ);
            hits.increment();
            return new StoredFile(channel, first, count);
        } catch (IOException e) {
            readFailed(entry, e);
            return null;
        }
    }

    /** Reads an object's head and body into one buffer (the caller owns it), or returns null. */
    ByteBuf readBody(DiskEntry entry, byte[] head) {
        try (FileChannel channel = FileChannel.open(file(entry), StandardOpenOption.READ)) {
            return DiskFiles.readBody(channel, entry, head, allocator);
        } catch (IOException e) {
            readFailed(entry, e);
            return null;
        }
    }

    /**
     * Writes a stored response in the background with a reference the caller took for it (and gives up here),
     * replacing what the tier held under its key at once: a lookup never finds an older version on disk while the
     * new one is in memory.
     */
    void write(CacheKey key, StoredResponse stored) {
        pending.put(key, stored);
        index.asMap().remove(key);
        long size = stored.weight();
        if (stored.bodyLength() + DiskFiles.TRAILER > maxSize) {
            pending.remove(key, stored);
            stored.release();
            return;
        }
        // Each waiting write holds its object's memory: a writer that falls behind must not hold it all.
        if (backlog.addAndGet(size) > BACKLOG_LIMIT) {
            backlog.addAndGet(-size);
            pending.remove(key, stored);
            stored.release();
            failed("the writer is " + BACKLOG_LIMIT + " bytes behind", new IOException("object not written"));
            return;
        }
        try {
            writer.execute(() -> writeNow(key, stored));
        } catch (RejectedExecutionException e) {
            backlog.addAndGet(-size);
            pending.remove(key, stored);
            stored.release();
        }
    }

    private void writeNow(CacheKey key, StoredResponse stored) {
        try {
            backlog.addAndGet(-stored.weight());
            if (pending.get(key) != stored) {
                return;
            }
            DiskEntry entry;
            try {
                entry = DiskFiles.write(directory, nextId.getAndIncrement(), stored);
            } catch (IOException e) {
                pending.remove(key, stored);
                failed("cannot write an object to " + directory, e);
                return;
            }
            boolean[] current = new boolean[1];
            // Under the key's lock in pending, so that a removal cannot fall between the check and the insertion.
            pending.computeIfPresent(key, (k, waiting) -> {
                if (waiting != stored) {
                    return waiting;
                }
                current[0] = true;
                objects.increment();
                index.put(k, entry);
                return null;
            });
            if (!current[0]) {
                DiskFiles.delete(file(entry));
            } else if (key.variant() != null) {
                indexVariant(key, VaryNames.of(stored.headers()), stored.keepUntil);
            }
        } finally {
            stored.release();
        }
    }

    /** Starts an object file to write as a fill streams in, or returns null when it cannot be created (counted). */
    DiskFill startFill() {
        try {
            return DiskFill.create(directory, nextId.getAndIncrement());
        } catch (IOException e) {
            failed("cannot write an object to " + directory, e);
            return null;
        }
    }

    /**
     * Makes a streamed object file whole and indexes it in place of what the tier held under its key (a background
     * write of an older copy included); returns false, having given the file up, when it could not be finished.
     */
    boolean commit(DiskFill fill, StoredResponse head) {
        DiskEntry entry;
        try {
            entry = fill.finish(head);
        } catch (IOException e) {
            fill.abandon();
            failed("cannot write an object file", e);
            return false;
        }
        CacheKey key = head.key;
        pending.remove(key);
        objects.increment();
        index.put(key, entry);
        if (key.variant() != null) {
            indexVariant(key, VaryNames.of(head.headers()), head.keepUntil);
        }
        return true;
    }

    private void indexVariant(CacheKey key, AsciiString[] varyNames, long keepUntil) {
        VaryIndex vary = new VaryIndex(varyNames, ConcurrentHashMap.newKeySet(), keepUntil);
        VaryIndex.addVariant(index.asMap(), key.primary(), vary, key.variant());
    }

    /**
     * Gives an object on disk the head a 304 refreshed, in the background: a new object file takes the old one's
     * body, copied by the kernel and never read into memory, and replaces it in the index unless it changed meanwhile.
     */
    void refreshHead(StoredResponse refreshed) {
        DiskEntry old = refreshed.disk().entry();
        ByteBuffer[] ends = DiskFiles.ends(refreshed, old.bodyLength, old.bodyCrc);
        try {
            writer.execute(() -> {
                if (index.getIfPresent(old.key) != old) {
                    return;
                }
                try {
                    DiskEntry entry = DiskFiles.rewrite(directory, nextId.getAndIncrement(), old, ends,
                            refreshed.keepUntil);
                    if (index.asMap().replace(old.key, old, entry)) {
                        objects.increment();
                    } else {
                        DiskFiles.delete(file(entry));
                    }
                } catch (IOException e) {
                    failed("cannot refresh the head of " + file(old), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: the object keeps its old head, and its next lookup revalidates it again.
        }
    }

    /** Returns the most bytes the tier holds, which no one object file may pass. */
    long maxSize() {
        return maxSize;
    }

    /** Removes what the tier holds under a key (its file goes too) and returns it, or null. */
    Slot remove(CacheKey key) {
        pending.remove(key);
        return index.asMap().remove(key);
    }

    /** Returns the keys the tier holds. */
    Set<CacheKey> keys() {
        return index.asMap().keySet();
    }

    /** Returns the tier's figures. */
    CacheStats.DiskStats stats() {
        index.cleanUp();
        return new CacheStats.DiskStats(bytes(), objects.sum(), maxSize, hits.sum(), errors.sum(), dropped.sum(),
                loadMillis);
    }

    private long bytes() {
        return index.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** Finishes the writes under way and leaves the index for the next start (the files stay). */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DiskIndexFile.save(directory, index.asMap().values());
    }

    private Path file(DiskEntry entry) {
        return DiskFiles.path(directory, entry.id, DiskFiles.OBJECT);
    }

    private void readFailed(DiskEntry entry, IOException e) {
        if (index.asMap().remove(entry.key, entry)) {
            failed("cannot read " + file(entry), e);
        }
    }

    /** Counts an I/O error (a request is never failed by one) and logs the first. */
    void failed(String what, IOException e) {
        errors.increment();
        if (errorLogged.compareAndSet(false, true)) {
            LOG.warn("cache disk tier: {}: {}; requests are served from memory and the origin, further errors only "
                    + "counted (telltale_cache_disk_errors)", what, e.toString());
        }
    }

    private void removed(CacheKey key, Slot slot, RemovalCause cause) {
        if (slot instanceof DiskEntry entry) {
            objects.decrement();
            DiskFiles.delete(file(entry));
        }
    }
}
