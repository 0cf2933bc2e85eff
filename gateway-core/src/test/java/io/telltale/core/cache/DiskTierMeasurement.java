package io.telltale.core.cache;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ResourceLeakDetector;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.CacheDiskConfig;
import io.telltale.core.config.DataSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test but a measurement (nothing is asserted): stores many objects in a disk tier, then starts a new cache
 * on the same directory twice, once with the index file a clean stop leaves and once without it (as after a kill),
 * and prints how long each start took to read the tier and how much heap the loaded index holds per object, which
 * must not depend on the objects' size (run it with two body sizes to see). Run it alone:
 * {@code mvn -B -q test -pl gateway-core -Dtest=DiskTierMeasurement -Dtelltale.measure=true}
 * ({@code -Dtelltale.measure.objects=N}, default 100,000; {@code -Dtelltale.measure.bodySize=BYTES}, default 1024).
 */
@EnabledIfSystemProperty(named = "telltale.measure", matches = "true")
class DiskTierMeasurement {
    /** How far the store phase lets the background writer fall behind: well under its backlog limit. */
    private static final int BEHIND = 2_000;

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void loadAtStart() throws IOException {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure(Integer.getInteger("telltale.measure.objects", 100_000),
                    Integer.getInteger("telltale.measure.bodySize", 1024));
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void measure(int objects, int bodySize) throws IOException {
        CacheConfig config = new CacheConfig(DataSize.ofMiB(16),
                new CacheDiskConfig(directory.toString(), DataSize.ofBytes(Long.MAX_VALUE / 2)));
        FakeTime time = new FakeTime(CacheFixture.START);
        store(config, time, objects, bodySize);
        // Measured once the storing cache's frame is gone, so that nothing of it is still reachable.
        load("clean stop, index.tti read", config, time, objects, bodySize, heapInUse());
        // The load above took the index file and its close wrote a new one: without it, as after a kill.
        Files.delete(directory.resolve(DiskIndexFile.NAME));
        load("after a kill, every file read", config, time, objects, bodySize, heapInUse());
    }

    /**
     * Fills the tier through a cache, waiting for the writer now and then as the back-pressure a quiet gateway's
     * writer would give (a writer further behind than its backlog limit drops objects, counted as write errors).
     */
    private static void store(CacheConfig config, FakeTime time, int objects, int bodySize) {
        byte[] body = new byte[bodySize];
        long start = System.nanoTime();
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("bench", CacheFixture.config());
            for (int i = 0; i < objects; i++) {
                CacheFill fill = site.tryFill(CacheFixture.get(site, "/o/" + i));
                fill.head(HttpResponseStatus.OK, CacheFixture.headers("Content-Type", "application/octet-stream",
                        "Content-Length", Integer.toString(bodySize), "ETag", "\"" + i + "\"",
                        "Cache-Control", "max-age=3600"));
                ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bodySize).writeBytes(body);
                fill.content(chunk);
                chunk.release();
                fill.complete();
                if ((i + 1) % BEHIND == 0) {
                    long stored = i + 1;
                    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                            .until(() -> stored - cache.stats().disk().objects() <= BEHIND);
                }
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> cache.stats().disk().objects() >= objects);
            CacheStats.DiskStats disk = cache.stats().disk();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("stored %d objects of %d bytes in %d ms (%d µs each), %d on disk, %d write errors%n",
                    objects, bodySize, millis, millis * 1000 / objects, disk.objects(), disk.writeErrors());
        }
    }

    /** Starts a cache on the directory and prints its load time and the heap it holds beyond {@code before}. */
    private static void load(String how, CacheConfig config, FakeTime time, int objects, int bodySize, long before) {
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            CacheStats.DiskStats disk = cache.stats().disk();
            long index = heapInUse() - before;
            System.out.printf("%s: a new cache read %d of %d objects of %d bytes (%d bytes on disk) in %d ms;"
                    + " its index holds %d bytes of heap, %d per object%n", how, disk.objects(), objects, bodySize,
                    disk.bytes(), disk.loadMillis(), index, index / Math.max(1, disk.objects()));
        }
    }

    /** Returns the heap in use after full collections, so that what is left is what is held. */
    private static long heapInUse() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
