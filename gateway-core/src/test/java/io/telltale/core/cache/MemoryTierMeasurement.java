package io.telltale.core.cache;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.DataSize;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test but a measurement (nothing is asserted): fills the memory tier past its maximum size with distinct
 * 1 KiB objects as the bench origin serves them and prints the growth of heap in use plus memory outside the heap
 * per stored object against what the cache counts for it. Run it alone, on a quiet machine:
 * {@code mvn -B -q test -pl gateway-core -Dtest=MemoryTierMeasurement -Dtelltale.measure=true}
 * ({@code -Dtelltale.measure.maxSize=MiB}, default 64).
 */
@EnabledIfSystemProperty(named = "telltale.measure", matches = "true")
class MemoryTierMeasurement {
    private static final int BODY = 1024;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void fillPastMaxSize() throws InterruptedException {
        long maxMiB = Long.getLong("telltale.measure.maxSize", 64);
        byte[] body = new byte[BODY];
        for (int i = 0; i < BODY; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        // The tests' paranoid leak detector tracks every buffer with objects of its own: not what a gateway holds.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            measure(maxMiB, body);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void measure(long maxMiB, byte[] body) throws InterruptedException {
        FakeTime time = new FakeTime(CacheFixture.START);
        PooledByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        try (EdgeCache cache = new EdgeCache(new CacheConfig(DataSize.ofMiB(maxMiB)), time, time, Runnable::run,
                allocator)) {
            SiteCache site = cache.site("bench", CacheFixture.config());
            fill(site, time, body, 2000, "/warm/");
            cache.purge("bench", null, "/warm/", true);
            cache.stats();
            long heapBefore = heapAfterGc();
            long offBefore = offHeap();
            int objects = (int) (maxMiB * 1024 * 1024 / BODY * 3 / 2);
            fill(site, time, body, objects, "/o/");
            CacheStats stats = cache.stats();
            long heap = heapAfterGc() - heapBefore;
            long off = offHeap() - offBefore;
            long entries = stats.entries();
            double counted = (double) stats.weightedSize() / entries;
            double grown = (double) (heap + off) / entries;
            System.out.printf("maxSize %d MiB, %d objects filled, %d held, %d evicted%n", maxMiB, objects, entries,
                    stats.evictions());
            System.out.printf("counted %d bytes in all (%.0f per object)%n", stats.weightedSize(), counted);
            System.out.printf("growth per object: heap %.0f + off-heap %.0f = %.0f bytes%n", (double) heap / entries,
                    (double) off / entries, grown);
            System.out.printf("growth / counted = %.2f; counted is %+.1f%% of the growth%n", grown / counted,
                    (counted - grown) / grown * 100);
        }
    }

    private static void fill(SiteCache site, FakeTime time, byte[] body, int objects, String prefix) {
        String date = HttpDate.format(time.millis());
        for (int i = 0; i < objects; i++) {
            String uri = prefix + i;
            CacheFill fill = site.tryFill(CacheFixture.get(site, uri));
            fill.head(HttpResponseStatus.OK, CacheFixture.headers("Server", "nginx/1.22.1", "Date", date,
                    "Content-Type", "application/octet-stream", "Content-Length", Integer.toString(BODY),
                    "Last-Modified", "Mon, 01 Dec 2025 10:00:00 GMT", "Connection", "keep-alive",
                    "ETag", "\"692d6c40-400\"", "Cache-Control", "max-age=3600", "Accept-Ranges", "bytes"));
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(BODY).writeBytes(body);
            try {
                fill.content(chunk);
            } finally {
                chunk.release();
            }
            fill.complete();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long[] used = {Long.MAX_VALUE};
        int[] collections = {0};
        // A few collections, the lowest reading kept: one System.gc() may leave garbage that the next one frees.
        await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            used[0] = Math.min(used[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            return ++collections[0] == 5;
        });
        return used[0];
    }

    /**
     * Returns the direct memory in use: the JDK's count, plus Netty's when it allocates without the JDK's cleaner
     * (otherwise Netty's counter counts the same buffers again).
     */
    private static long offHeap() {
        long netty = PlatformDependent.useDirectBufferNoCleaner() ? Math.max(0, PlatformDependent.usedDirectMemory()) : 0;
        long jdk = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jdk = pool.getMemoryUsed();
            }
        }
        return netty + jdk;
    }
}
