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
 * Not a test but a measurement (nothing is asserted): stores many 1 KiB objects in a disk tier, then starts a new
 * cache on the same directory and prints how long reading the index took. Run it alone:
 * {@code mvn -B -q test -pl gateway-core -Dtest=DiskTierMeasurement -Dtelltale.measure=true}
 * ({@code -Dtelltale.measure.objects=N}, default 100,000).
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
            measure(Integer.getInteger("telltale.measure.objects", 100_000));
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void measure(int objects) throws InterruptedException {
        CacheConfig config = new CacheConfig(DataSize.ofMiB(16),
                new CacheDiskConfig(directory.toString(), DataSize.ofMiB(4096)));
        FakeTime time = new FakeTime(CacheFixture.START);
        byte[] body = new byte[1024];
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("bench", CacheFixture.config());
            for (int i = 0; i < objects; i++) {
                CacheFill fill = site.tryFill(CacheFixture.get(site, "/o/" + i));
                fill.head(HttpResponseStatus.OK, CacheFixture.headers("Content-Type", "application/octet-stream",
                        "Content-Length", "1024", "ETag", "\"" + i + "\"", "Cache-Control", "max-age=3600"));
                ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(1024).writeBytes(body);
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
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            CacheStats.DiskStats disk = cache.stats().disk();
            System.out.printf("%d objects stored; a new cache on the directory read %d (%d bytes) in %d ms%n", objects,
                    disk.objects(), disk.bytes(), disk.loadMillis());
        }
    }
}
