package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.bodyOf;
import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.telltale.core.cache.CacheLookup.Kind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookupTest {
    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void missesThenHitsWithTheStoredBodyAndOutcomeHeaders() {
        CacheLookup miss = get(site, "/a");
        assertThat(miss.kind()).isEqualTo(Kind.MISS);
        assertThat(miss.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=uri-miss");
        assertThat(CacheFixture.fill(site, miss, 200, "hello", "Cache-Control", "max-age=60")).isTrue();

        CacheLookup hit = get(site, "/a");
        assertThat(hit.kind()).isEqualTo(Kind.HIT);
        CacheResponse response = hit.serve();
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=60");
        assertThat(response.headers().get("Content-Length")).isEqualTo("5");
        assertThat(response.headers().get("Age")).isEqualTo("0");
        assertThat(bodyOf(response)).isEqualTo("hello");
        assertThat(fixture.cache.stats().hits()).isEqualTo(1);
        assertThat(fixture.cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void servesTheHitBodyAsASliceOfTheStoredBufferWithoutCopying() {
        store(site, "/a", 200, "shared", "Cache-Control", "max-age=60");
        CacheResponse first = get(site, "/a").serve();
        CacheResponse second = get(site, "/a").serve();

        assertThat(first.body().isDirect()).isTrue();
        assertThat(first.body().memoryAddress()).isEqualTo(second.body().memoryAddress());
        first.release();
        second.release();
    }

    @Test
    void computesAgeFromTheOriginAgeTheApparentAgeAndTheResidentTime() {
        fixture.time.advance(Duration.ofSeconds(5));
        String dateTenSecondsAgo = HttpDate.format(fixture.time.millis() - 10_000);
        store(site, "/a", 200, "x", "Cache-Control", "max-age=100", "Age", "3", "Date", dateTenSecondsAgo, "ETag", "\"1\"");
        fixture.time.advance(Duration.ofSeconds(20));

        CacheResponse response = get(site, "/a").serve();
        assertThat(response.headers().get("Age")).as("apparent age 10 s beats Age 3 s, plus 20 s resident").isEqualTo("30");
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=70");
        response.release();

        fixture.time.advance(Duration.ofSeconds(70));
        assertThat(get(site, "/a").kind()).isEqualTo(Kind.MUST_REVALIDATE);
    }

    @Test
    void answersHeadFromWhatGetStoredWithoutABody() {
        store(site, "/a", 200, "hello", "Cache-Control", "max-age=60");
        CacheLookup head = site.lookup(HttpMethod.HEAD, "https", "SHOP.example:443", "/a", headers());

        assertThat(head.kind()).isEqualTo(Kind.HIT);
        CacheResponse response = head.serve();
        assertThat(response.body().readableBytes()).isZero();
        assertThat(response.headers().get("Content-Length")).isEqualTo("5");
        response.release();
    }

    @Test
    void passesUnsafeMethodsAndDisabledSites() {
        assertThat(site.lookup(HttpMethod.POST, "https", "shop.example", "/a", headers()).kind()).isEqualTo(Kind.PASS);
        var off = new io.telltale.core.config.SiteCacheConfig(false, Duration.ZERO, Duration.ZERO, Duration.ofDays(1),
                Duration.ZERO, io.telltale.core.config.DataSize.ofMiB(1), null, java.util.List.of(), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), "Telltale-Cache-Control", true, false);
        CacheLookup disabled = get(fixture.cache.site("off", off), "/a");
        assertThat(disabled.kind()).isEqualTo(Kind.PASS);
        assertThat(disabled.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=bypass");
    }

    @Test
    void storesVariantsUnderTheVaryIndexAndMissesAnUnknownVariant() {
        CacheLookup gzip = get(site, "/v", "Accept-Encoding", "gzip");
        CacheFixture.fill(site, gzip, 200, "gzipped", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
        CacheLookup br = get(site, "/v", "Accept-Encoding", "br");
        assertThat(br.kind()).isEqualTo(Kind.MISS);
        assertThat(br.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=vary-miss");
        CacheFixture.fill(site, br, 200, "brotli", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding");

        assertThat(bodyOf(get(site, "/v", "Accept-Encoding", " gzip").serve())).isEqualTo("gzipped");
        assertThat(bodyOf(get(site, "/v", "accept-encoding", "br").serve())).isEqualTo("brotli");
        assertThat(get(site, "/v").kind()).as("no Accept-Encoding is a variant of its own").isEqualTo(Kind.MISS);
    }

    @Test
    void neverStoresVaryStar() {
        assertThat(store(site, "/s", 200, "x", "Cache-Control", "max-age=60", "Vary", "*")).isFalse();
        assertThat(get(site, "/s").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void honoursRequestNoCacheMaxAgeAndMinFresh() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=60");
        fixture.time.advance(Duration.ofSeconds(30));

        CacheLookup noCache = get(site, "/a", "Cache-Control", "no-cache");
        assertThat(noCache.kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(noCache.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=request");
        assertThat(get(site, "/a", "Cache-Control", "max-age=10").kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(get(site, "/a", "Cache-Control", "max-age=40").kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/a", "Cache-Control", "min-fresh=40").kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(get(site, "/a", "Cache-Control", "min-fresh=20").kind()).isEqualTo(Kind.HIT);
    }

    @Test
    void servesStaleWithinMaxStaleUnlessTheResponseMustRevalidate() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10", "ETag", "\"1\"");
        store(site, "/m", 200, "x", "Cache-Control", "max-age=10, must-revalidate", "ETag", "\"1\"");
        fixture.time.advance(Duration.ofSeconds(15));

        assertThat(get(site, "/a").kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(get(site, "/a", "Cache-Control", "max-stale=10").kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/a", "Cache-Control", "max-stale=2").kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(get(site, "/a", "Cache-Control", "max-stale").kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/m", "Cache-Control", "max-stale").kind()).isEqualTo(Kind.MUST_REVALIDATE);
    }

    @Test
    void answersOnlyIfCachedWithGatewayTimeoutWhenNothingUsableIsStored() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=60");

        assertThat(get(site, "/a", "Cache-Control", "only-if-cached").kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/b", "Cache-Control", "only-if-cached").kind()).isEqualTo(Kind.GATEWAY_TIMEOUT);
        fixture.time.advance(Duration.ofSeconds(61));
        assertThat(get(site, "/a", "Cache-Control", "only-if-cached").kind()).isEqualTo(Kind.GATEWAY_TIMEOUT);
    }

    @Test
    void passesARequestWithNoStoreButStillServesAFreshHit() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=60");

        assertThat(get(site, "/a", "Cache-Control", "no-store").kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/b", "Cache-Control", "no-store").kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void revalidatesANoCacheResponseEveryTime() {
        store(site, "/a", 200, "x", "Cache-Control", "no-cache, max-age=60", "ETag", "\"v1\"");

        CacheLookup lookup = get(site, "/a");
        assertThat(lookup.kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(lookup.prepareOriginRequest(headers("If-None-Match", "\"client\"", "Range", "bytes=0-1"))
                .get("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void servesStaleWithinStaleWhileRevalidateAndClaimsOneBackgroundRevalidation() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10, stale-while-revalidate=30");
        fixture.time.advance(Duration.ofSeconds(20));

        CacheLookup first = get(site, "/a");
        CacheLookup second = get(site, "/a");
        assertThat(first.kind()).isEqualTo(Kind.STALE);
        assertThat(first.backgroundRevalidation()).isTrue();
        assertThat(second.backgroundRevalidation()).isFalse();
        CacheResponse response = first.serve();
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=-10; detail=stale-while-revalidate");
        response.release();

        fixture.time.advance(Duration.ofSeconds(25));
        assertThat(get(site, "/a").kind()).as("past the window, without a validator, nothing is kept").isEqualTo(Kind.MISS);
    }

    @Test
    void usesTheDefaultTtlForAResponseWithoutFreshnessAndStoresNothingWithoutOne() {
        assertThat(store(site, "/none", 200, "x")).as("default TTL 0 and no validator").isFalse();
        assertThat(get(site, "/none").kind()).isEqualTo(Kind.PASS);
        assertThat(store(site, "/tagged", 200, "x", "ETag", "\"1\"")).as("kept to be revalidated").isTrue();
        assertThat(get(site, "/tagged").kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(store(site, "/redirect", 302, "x")).isFalse();
        assertThat(get(site, "/redirect").kind()).as("302 without freshness becomes hit-for-pass").isEqualTo(Kind.PASS);
    }

    @Test
    void servesHeuristicFreshnessForAResponseWithOnlyLastModified() {
        store(site, "/h", 200, "x", "Last-Modified", HttpDate.format(fixture.time.millis() - 1000_000),
                "Date", fixture.now());
        fixture.time.advance(Duration.ofSeconds(99));
        assertThat(get(site, "/h").kind()).isEqualTo(Kind.HIT);
        fixture.time.advance(Duration.ofSeconds(2));
        assertThat(get(site, "/h").kind()).isEqualTo(Kind.MUST_REVALIDATE);
    }

    @Test
    void storesOnlyEndToEndHeadersAndAddsDateWhenTheOriginSentNone() {
        store(site, "/h", 200, "x", "Cache-Control", "max-age=60", "Connection", "close, X-Hop", "X-Hop", "1",
                "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked", "X-Cache", "Hit from upstream", "X-Kept", "yes");

        CacheResponse response = get(site, "/h").serve();
        assertThat(response.headers().names()).doesNotContain("connection", "x-hop", "keep-alive", "transfer-encoding");
        assertThat(response.headers().get("X-Kept")).isEqualTo("yes");
        assertThat(response.headers().get("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(response.headers().get("Date")).isEqualTo(fixture.now());
        response.release();
    }
}
