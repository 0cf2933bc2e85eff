package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.telltale.core.cache.CacheLookup.Kind;
import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CacheFillTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();
    private final EventExecutorGroup loops = new DefaultEventExecutorGroup(4);

    @AfterEach
    void close() throws InterruptedException {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        fixture.close();
    }

    private SiteCache site(long maxObjectSize, Duration collapseTimeout) {
        return site(maxObjectSize, collapseTimeout, Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    private SiteCache site(long maxObjectSize, Duration collapseTimeout, Duration collapseStall, Duration fillDeadline) {
        return fixture.cache.site("shop", new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO, Duration.ofDays(1),
                Duration.ofSeconds(10), DataSize.ofBytes(maxObjectSize), null, List.of(), Duration.ZERO,
                Duration.ZERO, collapseTimeout, collapseStall, fillDeadline,
                "Telltale-Cache-Control", true, false));
    }

    private static void send(CacheFill fill, String text) {
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
        try {
            fill.content(chunk);
        } finally {
            chunk.release();
        }
    }

    private Recorder subscribe(SiteCache cache, CacheLookup lookup) {
        Recorder recorder = new Recorder();
        assertThat(cache.join(lookup, loops.next(), recorder)).as("joins the fill in flight").isNull();
        return recorder;
    }

    @Test
    void collapsesAHundredConcurrentMissesIntoOneFillThatAllReceiveIdentically() throws Exception {
        int requests = 100;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        Set<CacheFill> fills = ConcurrentHashMap.newKeySet();
        List<Recorder> recorders = new ArrayList<>();
        List<Future<?>> joined = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            joined.add(clients.submit(() -> {
                start.await();
                CacheFill fill = site.join(get(site, "/cold"), loops.next(), recorder);
                if (fill != null) {
                    fills.add(fill);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : joined) {
            future.get(20, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertThat(fills).hasSize(1);
        CacheFill fill = fills.iterator().next();
        String body = "chunk-one|" + "x".repeat(5000) + "|chunk-three";
        assertThat(fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60", "Content-Length",
                Integer.toString(body.length())))).isTrue();
        send(fill, body.substring(0, 10));
        send(fill, body.substring(10, 5010));
        send(fill, body.substring(5010));
        fill.complete();

        await().atMost(WAIT).until(() -> recorders.stream().filter(Recorder::completed).count() == requests - 1);
        assertThat(recorders.stream().filter(Recorder::completed)).allSatisfy(r -> {
            assertThat(r.status.code()).isEqualTo(200);
            assertThat(r.headers.get("Cache-Status")).as("a follower hears the head before the body is stored").isEqualTo("telltale; fwd=uri-miss; collapsed");
            assertThat(r.body()).isEqualTo(body);
        });
        assertThat(fixture.cache.stats().collapsed()).isEqualTo(requests - 1);
        assertThat(fixture.cache.fills()).as("the finished fill left the registry").isEmpty();
        assertThat(get(site, "/cold").kind()).isEqualTo(Kind.HIT);
        assertThat(CacheFixture.bodyOf(get(site, "/cold").serve())).isEqualTo(body);
    }

    @Test
    void replaysWhatHasArrivedToALateSubscriberThenStreamsTheRest() {
        CacheFill fill = site.join(get(site, "/late"), loops.next(), new Recorder());
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60"));
        send(fill, "early,");
        Recorder late = subscribe(site, get(site, "/late"));
        send(fill, "late");
        fill.complete();

        await().atMost(WAIT).until(late::completed);
        assertThat(late.body()).isEqualTo("early,late");
    }

    @Test
    void neverStoresACutBodyAndAbortsTheSubscribers() {
        CacheFill fill = site.join(get(site, "/cut"), loops.next(), new Recorder());
        Recorder follower = subscribe(site, get(site, "/cut"));
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60", "Content-Length", "100"));
        send(fill, "partial");
        Failure closed = Failure.of(FailureCode.ORIGIN_CONNECTION_CLOSED, "closed mid-body", Evidence.empty());
        fill.fail(0, closed);

        await().atMost(WAIT).until(() -> follower.abort != null);
        assertThat(follower.abort.reason()).isEqualTo(FillAbort.Reason.ORIGIN_FAILED);
        assertThat(follower.abort.headDelivered()).isTrue();
        assertThat(follower.abort.failure()).isSameAs(closed);
        assertThat(get(site, "/cut").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void doesNotStoreABodyShorterThanItsContentLength() {
        CacheFill fill = site.tryFill(get(site, "/short"));
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60", "Content-Length", "100"));
        send(fill, "short");
        fill.complete();

        assertThat(get(site, "/short").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void streamsAnOversizeBodyToSubscribersButStoresNothingAndPassesAfterwards() {
        SiteCache small = site(10, Duration.ofSeconds(5));
        CacheFill fill = small.join(get(small, "/big"), loops.next(), new Recorder());
        Recorder follower = subscribe(small, get(small, "/big"));
        assertThat(fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60"))).isTrue();
        send(fill, "12345678");
        send(fill, "abcdefgh");
        assertThat(fill.storing()).isFalse();
        fill.complete();

        await().atMost(WAIT).until(follower::completed);
        assertThat(follower.body()).isEqualTo("12345678abcdefgh");
        assertThat(get(small, "/big").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void letsSubscribersHaveAnUncacheableResponseOnceAndMarksTheKeyHitForPass() {
        CacheFill fill = site.join(get(site, "/private"), loops.next(), new Recorder());
        Recorder follower = subscribe(site, get(site, "/private"));
        assertThat(fill.head(HttpResponseStatus.OK, headers("Cache-Control", "private"))).isFalse();
        assertThat(fill.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=uri-miss");
        send(fill, "mine");
        fill.complete();

        await().atMost(WAIT).until(follower::completed);
        assertThat(follower.body()).isEqualTo("mine");
        assertThat(follower.headers.get("Cache-Status")).isEqualTo("telltale; fwd=uri-miss; collapsed");
        assertThat(get(site, "/private").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void sendsAWaiterToTheOriginAfterTheCollapseTimeout() {
        SiteCache impatient = site(1024, Duration.ofMillis(50));
        CacheFill fill = impatient.join(get(impatient, "/slow"), loops.next(), new Recorder());
        Recorder follower = subscribe(impatient, get(impatient, "/slow"));

        await().atMost(WAIT).until(() -> follower.abort != null);
        assertThat(follower.abort.reason()).isEqualTo(FillAbort.Reason.TIMED_OUT);
        assertThat(follower.abort.headDelivered()).isFalse();
        fill.fail(0, null);
    }

    @Test
    void letsItsFollowersGoWhenNoByteCameForTheStallBoundAndIsJoinedNoMore() {
        // The stall is judged by the cache's clock: the check runs every few milliseconds, and only the test moves time.
        SiteCache watched = site(1024, Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofSeconds(60));
        CacheFill fill = watched.join(get(watched, "/trickle"), loops.next(), new Recorder());
        Recorder early = subscribe(watched, get(watched, "/trickle"));
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60", "ETag", "\"t\""));
        send(fill, "first bytes");
        Recorder late = subscribe(watched, get(watched, "/trickle"));
        await().atMost(WAIT).until(() -> late.body().equals("first bytes"));
        assertThat(early.abort).as("no time passed: the fill is progressing").isNull();

        fixture.time.advance(Duration.ofSeconds(1));

        await().atMost(WAIT).until(() -> early.abort != null && late.abort != null);
        assertThat(List.of(early.abort, late.abort)).allSatisfy(abort -> {
            assertThat(abort.reason()).isEqualTo(FillAbort.Reason.STALLED);
            assertThat(abort.headDelivered()).isTrue();
        });
        CacheFill next = watched.join(get(watched, "/trickle"), loops.next(), new Recorder());
        assertThat(next).as("a stalled fill is joined no more: the next request leads its own").isNotNull()
                .isNotSameAs(fill);
        send(fill, " and the rest");
        fill.complete();
        assertThat(get(watched, "/trickle").kind()).as("the stalled fill stores nothing").isEqualTo(Kind.MISS);
        next.fail(0, null);
    }

    @Test
    void isJoinedOnlyWhileYoungerThanTheCollapseTimeout() {
        SiteCache watched = site(1024, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(600));
        CacheFill old = watched.join(get(watched, "/old"), loops.next(), new Recorder());
        old.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60"));
        fixture.time.advance(Duration.ofSeconds(4));
        send(old, "still coming");
        subscribe(watched, get(watched, "/old"));

        fixture.time.advance(Duration.ofSeconds(2));
        send(old, " and coming");
        CacheFill own = watched.join(get(watched, "/old"), loops.next(), new Recorder());

        assertThat(own).as("six seconds old: the request leads its own fetch").isNotNull().isNotSameAs(old);
        old.fail(0, null);
        own.fail(0, null);
    }

    @Test
    void storesNothingPastItsDeadlineButLetsTheLeaderStreamOn() {
        SiteCache watched = site(1024, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30));
        CacheFill fill = watched.join(get(watched, "/long"), loops.next(), new Recorder());
        Recorder follower = subscribe(watched, get(watched, "/long"));
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60"));
        send(fill, "a");
        fixture.time.advance(Duration.ofSeconds(31));
        send(fill, "b");
        fill.complete();

        await().atMost(WAIT).until(() -> follower.abort != null);
        assertThat(follower.abort.reason()).isEqualTo(FillAbort.Reason.STALLED);
        assertThat(fill.cacheStatus().cacheStatus()).doesNotContain("stored");
        assertThat(get(watched, "/long").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void claimsStoredOnlyOnceTheBodyIsStored() {
        CacheFill fill = site.join(get(site, "/claim"), loops.next(), new Recorder());
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60"));
        assertThat(fill.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=uri-miss");
        send(fill, "body");
        fill.complete();
        assertThat(fill.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=uri-miss; stored");
    }

    @Test
    void sendsASubscriberWithOtherVaryValuesToTheOrigin() {
        CacheFill fill = site.join(get(site, "/v", "Accept-Language", "de"), loops.next(), new Recorder());
        Recorder german = subscribe(site, get(site, "/v", "Accept-Language", "de"));
        Recorder french = subscribe(site, get(site, "/v", "Accept-Language", "fr"));
        fill.head(HttpResponseStatus.OK, headers("Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        send(fill, "Hallo");
        fill.complete();

        await().atMost(WAIT).until(() -> french.abort != null && german.completed());
        assertThat(french.abort.reason()).isEqualTo(FillAbort.Reason.VARY_MISMATCH);
        assertThat(german.body()).isEqualTo("Hallo");
    }

    @Test
    void neverCollapsesRequestsWithAuthorization() {
        CacheFill first = site.join(get(site, "/me", "Authorization", "Bearer a"), loops.next(), new Recorder());
        CacheFill second = site.join(get(site, "/me", "Authorization", "Bearer b"), loops.next(), new Recorder());

        assertThat(first).isNotNull();
        assertThat(second).isNotNull().isNotSameAs(first);
        first.fail(0, null);
        second.fail(0, null);
    }

    @Test
    void givesSubscribersOfARevalidationTheRefreshedStoredResponse() {
        CacheFixture.store(site, "/r", 200, "stored", "Cache-Control", "max-age=1", "ETag", "\"e\"");
        fixture.time.advance(Duration.ofSeconds(5));
        CacheFill fill = site.join(get(site, "/r"), loops.next(), new Recorder());
        Recorder follower = subscribe(site, get(site, "/r"));

        CacheLookup refreshed = fill.notModified(headers("ETag", "\"e\"", "Cache-Control", "max-age=60"));
        CacheFixture.bodyOf(refreshed.serve());

        await().atMost(WAIT).until(follower::completed);
        assertThat(follower.headers.get("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(follower.body()).isEqualTo("stored");
    }

    /** Records what a subscriber receives; all events for one subscriber arrive on one executor thread. */
    private static final class Recorder implements FillListener {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private volatile HttpResponseStatus status;
        private volatile HttpHeaders headers;
        private volatile boolean completed;
        private volatile FillAbort abort;

        @Override
        public void onHead(HttpResponseStatus status, HttpHeaders headers) {
            this.status = status;
            this.headers = headers;
        }

        @Override
        public void onContent(ByteBuf content) {
            try {
                synchronized (body) {
                    content.getBytes(content.readerIndex(), body, content.readableBytes());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                content.release();
            }
        }

        @Override
        public void onFile(FillBody file, long position) {
            // These fills have no disk tier: a body handed over as a file is not what they deliver.
            file.release();
            abort = new FillAbort(FillAbort.Reason.STALLED, true, 0, null);
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        @Override
        public void onAbort(FillAbort abort) {
            this.abort = abort;
        }

        boolean completed() {
            return completed;
        }

        String body() {
            synchronized (body) {
                return body.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
