package io.telltale.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.CacheDiskConfig;
import io.telltale.core.config.DataSize;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskIndexFileTest {
    @TempDir
    Path directory;

    private static CacheKey key(String path) {
        return new KeyRecipe("shop", null, List.of()).keyOf("https", "shop.example", path, CacheFixture.headers());
    }

    @Test
    void aSavedIndexIsTakenOnceWithEveryObjectButVariants() {
        DiskEntry plain = new DiskEntry(key("/a"), 7, 1000, 200, 0x1234, 99_000);
        DiskEntry variant = new DiskEntry(key("/b").withVariant("gzip\n"), 8, 10, 200, 1, 99_000);
        DiskIndexFile.save(directory, List.of(plain, variant));

        Map<Long, DiskEntry> taken = DiskIndexFile.take(directory);

        assertThat(taken).containsOnlyKeys(7L);
        DiskEntry read = taken.get(7L);
        assertThat(read.key).isEqualTo(plain.key);
        assertThat(read.fileLength()).isEqualTo(plain.fileLength());
        assertThat(read.bodyCrc).isEqualTo(0x1234);
        assertThat(read.keepUntil()).isEqualTo(99_000);
        assertThat(Files.exists(directory.resolve(DiskIndexFile.NAME))).isFalse();
        assertThat(DiskIndexFile.take(directory)).isEmpty();
    }

    @Test
    void anIndexThatDoesNotCheckOutIsNotUsed() throws IOException {
        DiskIndexFile.save(directory, List.of(new DiskEntry(key("/a"), 7, 1000, 200, 0x1234, 99_000)));
        try (FileChannel channel = FileChannel.open(directory.resolve(DiskIndexFile.NAME), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xff}), 20);
        }

        assertThat(DiskIndexFile.take(directory)).isEmpty();
    }

    @Test
    void aCleanStopLeavesTheIndexTheNextStartReadsAndTakes() throws IOException {
        CacheConfig config = new CacheConfig(DataSize.ofMiB(1), new CacheDiskConfig(directory.toString(), DataSize.ofMiB(64)));
        FakeTime time = new FakeTime(CacheFixture.START);
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("shop", CacheFixture.config());
            CacheFixture.store(site, "/one", 200, "one", "Cache-Control", "max-age=600");
            CacheFixture.store(site, "/two", 200, "two", "Cache-Control", "max-age=600");
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().disk().objects() == 2);
        }
        assertThat(Files.exists(directory.resolve(DiskIndexFile.NAME))).isTrue();

        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("shop", CacheFixture.config());
            assertThat(cache.stats().disk().objects()).isEqualTo(2);
            assertThat(Files.exists(directory.resolve(DiskIndexFile.NAME))).isFalse();
            CacheResponse hit = CacheFixture.get(site, "/two").serve();
            StoredFile file = hit.takeFile();
            assertThat(file).as("a hit on disk").isNotNull();
            hit.release();
            FillBody body = FillBody.whole(file);
            ByteBuf read = body.read(file.position(), 64, PooledByteBufAllocator.DEFAULT);
            try {
                assertThat(read.toString(StandardCharsets.US_ASCII)).isEqualTo("two");
                assertThat(body.read(file.position() + 3, 64, PooledByteBufAllocator.DEFAULT)).as("the end").isNull();
            } finally {
                read.release();
                body.release();
            }
        }
    }
}
