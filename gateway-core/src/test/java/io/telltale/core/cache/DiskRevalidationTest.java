package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.CacheDiskConfig;
import io.telltale.core.config.DataSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 304 that revalidates an object held only on disk: its followers read the file, never a copy in memory. */
class DiskRevalidationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private final EventExecutorGroup loops = new DefaultEventExecutorGroup(2);

    @AfterEach
    void close() throws InterruptedException {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aFollowerOfA304ForADiskObjectReadsTheFileAtItsOwnPace() {
        // Memory keeps objects up to 8 KiB: this one streams to disk and is held nowhere else.
        String body = "0123456789".repeat(3_000);
        FakeTime time = new FakeTime(CacheFixture.START);
        CacheConfig config = new CacheConfig(DataSize.ofKiB(64), new CacheDiskConfig(directory.toString(),
                DataSize.ofMiB(16)));
        try (EdgeCache cache = new EdgeCache(config, time, time, Runnable::run, PooledByteBufAllocator.DEFAULT)) {
            SiteCache site = cache.site("shop", CacheFixture.config());
            assertThat(CacheFixture.store(site, "/big", 200, body, "Cache-Control", "max-age=1", "ETag", "\"e\"",
                    "Content-Length", Integer.toString(body.length()))).isTrue();
            assertThat(cache.stats().disk().objects()).isEqualTo(1);
            assertThat(cache.stats().memoryObjects()).isZero();
            time.advance(Duration.ofSeconds(5));
            CacheFill fill = site.join(get(site, "/big"), loops.next(), new FileReader());
            FileReader follower = new FileReader();
            assertThat(site.join(get(site, "/big"), loops.next(), follower)).as("joins the revalidation").isNull();

            CacheLookup refreshed = fill.notModified(headers("ETag", "\"e\"", "Cache-Control", "max-age=60"));
            // The writer swaps in the file with the refreshed head in the background: when the swap has already
            // deleted the old file, the leader has nothing to serve and goes to the origin (null), which is allowed.
            CacheResponse leader = refreshed.serve();
            if (leader != null) {
                leader.release();
            }

            await().atMost(WAIT).until(() -> follower.done() || follower.aborted != null);
            // When the writer's background swap of the refreshed file wins the race with the follower's opening of
            // the old one, the follower is let go to fetch on its own (CacheFill.notModified): the product's allowed
            // fallback, in which this test has nothing to check.
            assumeTrue(follower.aborted == null, "the refreshed file was swapped in before the follower opened it");
            assertThat(follower.status).isEqualTo(HttpResponseStatus.OK);
            assertThat(follower.headers.get("X-Cache")).isEqualTo("RefreshHit from gateway");
            assertThat(follower.contentPieces).as("no piece of the body came from memory").isZero();
            assertThat(follower.body()).isEqualTo(body);
            assertThat(cache.stats().memoryObjects()).isZero();
        }
    }

    /** Reads a body handed over as a file to its end, on the follower's executor, as the proxy's relay does. */
    private static final class FileReader implements FillListener {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private volatile HttpResponseStatus status;
        private volatile HttpHeaders headers;
        private volatile int contentPieces;
        private volatile boolean done;
        private volatile FillAbort aborted;

        @Override
        public void onHead(HttpResponseStatus status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        @Override
        public void onContent(ByteBuf content) {
            contentPieces++;
            content.release();
        }

        @Override
        public void onFile(FillBody file, long position) {
            try {
                long at = position;
                for (ByteBuf piece; (piece = file.read(at, 4096, PooledByteBufAllocator.DEFAULT)) != null; ) {
                    at += piece.readableBytes();
                    synchronized (body) {
                        body.writeBytes(ByteBufUtil.getBytes(piece));
                    }
                    piece.release();
                }
                done = at == file.length();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                file.release();
            }
        }

        @Override
        public void onComplete() {
            done = true;
        }

        @Override
        public void onAbort(FillAbort abort) {
            assertThat(abort.reason()).isEqualTo(FillAbort.Reason.STALLED);
            aborted = abort;
        }

        boolean done() {
            return done;
        }

        String body() {
            synchronized (body) {
                return body.toString(StandardCharsets.US_ASCII);
            }
        }
    }
}
