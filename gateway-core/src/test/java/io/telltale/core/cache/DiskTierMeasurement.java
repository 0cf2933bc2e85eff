package io.telltale.core.cache;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ResourceLeakDetector;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.CacheDiskConfig;
import io.telltale.core.config.DataSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test but a measurement (nothing is asserted): stores many objects in a disk tier, then starts a new cache
 * on the same directory and prints how long reading the index took and how much heap the loaded index holds per
 * object, which must not depend on the objects' size (run it with two body sizes to see). Run it alone:
 * {@code mvn -B -q test -pl gateway-core -Dtest=DiskTierMeasurement -Dtelltale.measure=true}
 * ({@code -Dtelltale.measure.objects=N}, default 100,000; {@code -Dtelltale.measure.bodySize=BYTES}, default 1024).
 */
@EnabledIfSystemProperty(named = "telltale.measure", matches = "true")
class DiskTierMeasurement {
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void loadAtStart() throws InterruptedException {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure(Integer.getInteger("telltale.measure.objects", 100_000),
                    Integer.getInteger("telltale.measure.bodySize", 1024));
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void measure(int objects, int bodySize) throws InterruptedException {
        CacheConfig config = new CacheConfig(DataSize.ofMiB(16),
                new CacheDiskConfig(directory.toString(), DataSize.ofBytes(Long.MAX_VALUE / 2)));
        FakeTime time = new FakeTime(CacheFixture.START);
        store(config, time, objects, bodySize);
        // Measured once the storing cache's frame is gone, so that nothing of it is still reachable.
        long before = heapInUse();
        load(config, time, objects, bodySize, before);
    }

    private static void store(CacheConfig config, FakeTime time, int objects, int bodySize) {
        byte[] body = new byte[bodySize];
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("bench", CacheFixture.config());
            for (int i = 0; i < objects; i++) {
                CacheFill fill = site.tryFill(CacheFixture.get(site, "/o/" + i));
                fill.head(HttpResponseStatus.OK, CacheFixture.headers("Content-Type", "application/octet-stream",
                        "Content-Length", Integer.toString(bodySize), "ETag", "\"" + i + "\"", "Cache-Control", "max-age=3600"));
                ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bodySize).writeBytes(body);
                fill.content(chunk);
                chunk.release();
                fill.complete();
                long stored = i;
                // Keep the writer's backlog short, as a quiet gateway would; a long one is dropped.
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> stored - cache.stats().disk().objects() <= 1000);
            }
            await().atMost(Duration.ofMinutes(10)).until(() -> cache.stats().disk().objects() >= objects);
        }
    }

    /** Starts a cache on the directory and prints its load time and the heap it holds beyond {@code before}. */
    private static void load(CacheConfig config, FakeTime time, int objects, int bodySize, long before) {
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            CacheStats.DiskStats disk = cache.stats().disk();
            long index = heapInUse() - before;
            System.out.printf("%d objects of %d bytes stored; a new cache on the directory read %d (%d bytes) in %d ms;"
                    + " its index holds %d bytes of heap, %d per object%n", objects, bodySize, disk.objects(),
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
