package io.telltale.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFilesTest {
    private static final String BODY = "the stored body";

    @TempDir
    Path directory;

    private StoredResponse stored;
    private Path file;

    @BeforeEach
    void write() throws IOException {
        CacheKey key = new KeyRecipe("shop", null, List.of()).keyOf("https", "shop.example", "/a?x=1",
                CacheFixture.headers()).withVariant("gzip\n");
        ByteBuf body = Unpooled.copiedBuffer(BODY, StandardCharsets.UTF_8);
        stored = StoredResponse.of(key, HttpResponseStatus.OK, CacheFixture.headers("ETag", "\"e\"", "Cache-Control",
                "max-age=60", "Date", "Sat, 01 Mar 2025 12:00:00 GMT"), List.of(body), body.readableBytes(),
                1000, 2000, 7, SitePolicy.of(CacheFixture.config()), PooledByteBufAllocator.DEFAULT);
        body.release();
        DiskFiles.write(directory, 42, stored);
        file = DiskFiles.path(directory, 42, DiskFiles.OBJECT);
    }

    @AfterEach
    void release() {
        stored.release();
    }

    @Test
    void readsBackTheKeyTimesFieldsAndBody() throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            DiskEntry entry = DiskFiles.readEntry(channel, DiskFiles.id(file));
            DiskFiles.Tail tail = DiskFiles.readTail(channel, entry);
            ByteBuf block = DiskFiles.readBody(channel, entry, tail.head(), PooledByteBufAllocator.DEFAULT);
            StoredResponse restored = StoredResponse.restored(tail, block, null);
            try {
                assertThat(entry.id).isEqualTo(42);
                assertThat(tail.key()).isEqualTo(stored.key);
                assertThat(tail.key().variant()).isEqualTo("gzip\n");
                assertThat(tail.times()).isEqualTo(stored.times());
                assertThat(restored.etag()).isEqualTo("\"e\"");
                assertThat(restored.headers().get("cache-control")).isEqualTo("max-age=60");
                ByteBuf body = restored.retainedBody();
                assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(BODY);
                body.release();
            } finally {
                restored.release();
            }
        }
    }

    @Test
    void aFileCutShortHasNoTrailer() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1);
            assertThatThrownBy(() -> DiskFiles.readEntry(channel, 42)).isInstanceOf(DiskFiles.CorruptFile.class)
                    .hasMessageContaining("trailer");
        }
    }

    @Test
    void changedMetadataFailsItsChecksum() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1}), BODY.length() + 40);
            assertThatThrownBy(() -> DiskFiles.readEntry(channel, 42)).isInstanceOf(DiskFiles.CorruptFile.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void aChangedBodyFailsItsChecksumWhenReadBack() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            DiskEntry entry = DiskFiles.readEntry(channel, 42);
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), 3);
            assertThatThrownBy(() -> DiskFiles.readBody(channel, entry, new byte[0], PooledByteBufAllocator.DEFAULT))
                    .isInstanceOf(DiskFiles.CorruptFile.class).hasMessageContaining("body");
        }
    }

    @Test
    void onlyObjectFileNamesHaveAnId() {
        assertThat(DiskFiles.id(Path.of("000000000000002a.tto"))).isEqualTo(42);
        assertThat(DiskFiles.id(Path.of("000000000000002a.part"))).isEqualTo(-1);
        assertThat(DiskFiles.id(Path.of("notes.txt"))).isEqualTo(-1);
    }
}
