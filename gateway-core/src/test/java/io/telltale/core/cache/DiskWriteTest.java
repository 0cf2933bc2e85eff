package io.telltale.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.CacheDiskConfig;
import io.telltale.core.config.DataSize;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the disk tier's background writer is given: every stored object, whatever memory does with it. */
class DiskWriteTest {
    @TempDir
    Path directory;

    @Test
    void everyObjectReachesTheDiskEvenWhenMemoryTurnsItAwayAtOnce() {
        // A memory tier smaller than a few objects: its admission window is smaller than one, so a new object can
        // be evicted while it is being put, before the disk writer was given it.
        CacheConfig config = new CacheConfig(DataSize.ofKiB(4), new CacheDiskConfig(directory.toString(),
                DataSize.ofMiB(64)));
        FakeTime time = new FakeTime(CacheFixture.START);
        int objects = 300;
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("shop", CacheFixture.config());
            for (int i = 0; i < objects; i++) {
                CacheFixture.store(site, "/o/" + i, 200, "body " + i, "Cache-Control", "max-age=600");
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> cache.stats().disk().objects() == objects);
            assertThat(cache.stats().disk().writeErrors()).isZero();
            assertThat(CacheFixture.get(site, "/o/0").kind()).as("the first object, long gone from memory").isEqualTo(CacheLookup.Kind.HIT);
        }
    }
}
