package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.bodyOf;
import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.telltale.core.cache.CacheLookup.Kind;
import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreTest {
    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** The references a served full hit holds on the stored buffer: its head and its body. */
    private static final int HELD = 2;

    /** Returns the reference count of the stored buffer a hit's slice derives from. */
    private static int rootRefCnt(ByteBuf buf) {
        ByteBuf root = buf;
        while (root.unwrap() != null) {
            root = root.unwrap();
        }
        return root.refCnt();
    }

    private SiteCache siteServingStaleFor(Duration window) {
        return fixture.cache.site("shop", new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO, Duration.ofDays(1),
                Duration.ofSeconds(10), DataSize.ofMiB(1), null, List.of(), window, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60),
                "Telltale-Cache-Control", true, false));
    }

    @Test
    void invalidatesTheUriAndSameHostLocationsAfterASuccessfulUnsafeMethod() {
        store(site, "/items/1", 200, "one", "Cache-Control", "max-age=60");
        store(site, "/items", 200, "list", "Cache-Control", "max-age=60");
        store(site, "/other", 200, "other", "Cache-Control", "max-age=60");

        assertThat(site.invalidate(HttpMethod.POST, "https", "shop.example", "/items/1", headers(), 500, headers()))
                .as("a failed POST invalidates nothing").isZero();
        assertThat(site.invalidate(HttpMethod.GET, "https", "shop.example", "/items/1", headers(), 200, headers())).isZero();
        int removed = site.invalidate(HttpMethod.PUT, "https", "shop.example", "/items/1", headers(), 201,
                headers("Location", "https://SHOP.example/items", "Content-Location", "https://elsewhere.example/other"));

        assertThat(removed).isEqualTo(2);
        assertThat(get(site, "/items/1").kind()).isEqualTo(Kind.MISS);
        assertThat(get(site, "/items").kind()).isEqualTo(Kind.MISS);
        assertThat(get(site, "/other").kind()).as("another host's URI stays").isEqualTo(Kind.HIT);
    }

    @Test
    void invalidatesEveryVariantOfAUri() {
        CacheFixture.fill(site, get(site, "/v", "Accept-Language", "de"), 200, "de", "Cache-Control", "max-age=60", "Vary", "Accept-Language");
        CacheFixture.fill(site, get(site, "/v", "Accept-Language", "fr"), 200, "fr", "Cache-Control", "max-age=60", "Vary", "Accept-Language");

        assertThat(site.invalidate(HttpMethod.DELETE, "https", "shop.example", "/v", headers(), 204, headers())).isEqualTo(2);
        assertThat(get(site, "/v", "Accept-Language", "de").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void neverStoresAnOriginErrorWithoutExplicitFreshnessForTheErrorTtl() {
        for (int status : new int[] {403, 500, 502, 503, 504}) {
            assertThat(store(site, "/e" + status, status, "down", "ETag", "\"e\"")).as("status " + status).isFalse();
            assertThat(get(site, "/e" + status).kind()).as("no hit-for-pass either").isEqualTo(Kind.MISS);
        }
    }

    @Test
    void storesAnOriginErrorForAsLongAsItsOwnHeadersSay() {
        assertThat(store(site, "/e", 503, "down", "Cache-Control", "max-age=30")).isTrue();

        CacheResponse response = get(site, "/e").serve();
        assertThat(response.status().code()).isEqualTo(503);
        assertThat(response.headers().get("X-Cache")).isEqualTo("Error from gateway");
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=30");
        response.release();
        fixture.time.advance(Duration.ofSeconds(30));
        assertThat(get(site, "/e").kind()).as("without a validator nothing is kept to revalidate").isEqualTo(Kind.MISS);
    }

    @Test
    void givesAHeuristicallyCacheableErrorTheHeuristicFreshnessNotTheErrorTtl() {
        String tenDaysAgo = HttpDate.format(fixture.time.millis() - Duration.ofDays(10).toMillis());
        assertThat(store(site, "/gone", 404, "gone", "Last-Modified", tenDaysAgo, "Date", fixture.now())).isTrue();

        CacheResponse response = get(site, "/gone").serve();
        assertThat(response.headers().get("Cache-Status")).as("a tenth of ten days").isEqualTo("telltale; hit; ttl=86400");
        response.release();
        assertThat(store(site, "/plain", 404, "missing")).as("no heuristic and no default TTL: nothing to reuse")
                .isFalse();
        assertThat(get(site, "/plain").kind()).as("an error leaves its key open").isEqualTo(Kind.MISS);
    }

    @Test
    void keepsAGatewayFailureForTheErrorTtl() {
        Failure refused = Failure.of(FailureCode.ORIGIN_CONNECTION_REFUSED, "connection refused", Evidence.empty());
        CacheLookup miss = get(site, "/f");
        assertThat(site.storeFailure(miss, refused)).isTrue();
        fixture.time.advance(Duration.ofSeconds(3));
        assertThat(get(site, "/f").kind()).as("one request per interval probes the origin").isEqualTo(Kind.MISS);

        CacheLookup again = get(site, "/f");
        assertThat(again.kind()).isEqualTo(Kind.FAILURE);
        assertThat(again.failure()).isSameAs(refused);
        assertThat(again.cacheStatus().xCache()).isEqualTo("Error from gateway");
        assertThat(again.cacheStatus().cacheStatus()).isEqualTo("telltale; hit; ttl=7; detail=OriginConnectionRefused");
        assertThat(get(site, "/f", "Cache-Control", "no-cache").kind()).isEqualTo(Kind.MISS);
        fixture.time.advance(Duration.ofSeconds(7));
        assertThat(get(site, "/f").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void keepsAGatewayFailureBesideTheStoredObject() {
        store(site, "/s", 200, "kept", "Cache-Control", "max-age=10", "ETag", "\"s\"");
        fixture.time.advance(Duration.ofSeconds(20));
        CacheLookup revalidation = get(site, "/s");
        assertThat(revalidation.kind()).isEqualTo(Kind.MUST_REVALIDATE);
        Failure refused = Failure.of(FailureCode.ORIGIN_CONNECTION_REFUSED, "refused", Evidence.empty());
        assertThat(site.storeFailure(revalidation, refused)).isTrue();

        assertThat(get(site, "/s").kind()).isEqualTo(Kind.FAILURE);
        assertThat(get(site, "/s", "Cache-Control", "max-stale=3600").kind()).as("the stored copy survives")
                .isEqualTo(Kind.HIT);
        fixture.time.advance(Duration.ofSeconds(1));
        CacheLookup probe = get(site, "/s");
        assertThat(probe.kind()).as("the interval's probe revalidates").isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(get(site, "/s").kind()).as("only one probe per interval").isEqualTo(Kind.FAILURE);
        assertThat(probe.hasStored()).isTrue();
    }

    @Test
    void givesTheStoredCopyInsteadOfAKeptFailureWhereStaleIsAcceptedNamingTheFailure() {
        SiteCache lenient = siteServingStaleFor(Duration.ofMinutes(5));
        store(lenient, "/s", 200, "kept", "Cache-Control", "max-age=10", "ETag", "\"s\"");
        fixture.time.advance(Duration.ofSeconds(20));
        Failure refused = Failure.of(FailureCode.ORIGIN_CONNECTION_REFUSED, "refused", Evidence.empty());
        assertThat(lenient.storeFailure(get(lenient, "/s"), refused)).isTrue();

        CacheLookup stale = get(lenient, "/s");
        CacheLookup asked = get(lenient, "/s", "Cache-Control", "max-stale=3600");

        assertThat(stale.kind()).isEqualTo(Kind.HIT);
        CacheResponse served = stale.serve();
        assertThat(served.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=-10; detail=OriginConnectionRefused");
        assertThat(bodyOf(served)).isEqualTo("kept");
        assertThat(asked.cacheStatus().cacheStatus()).isEqualTo("telltale; hit; ttl=-10; detail=OriginConnectionRefused");
    }

    @Test
    void keepsAnOriginErrorNoLongerThanItsRetryAfter() {
        assertThat(store(site, "/busy", 503, "busy", "Cache-Control", "max-age=600", "Retry-After", "1")).isTrue();
        assertThat(get(site, "/busy").cacheStatus().cacheStatus()).isEqualTo("telltale; hit; ttl=1");
        fixture.time.advance(Duration.ofSeconds(1));
        assertThat(get(site, "/busy").kind()).as("nothing to revalidate it with: gone").isEqualTo(Kind.MISS);

        String inTwoSeconds = HttpDate.format(fixture.time.millis() + 2000);
        store(site, "/dated", 500, "down", "Cache-Control", "s-maxage=600", "Retry-After", inTwoSeconds);
        assertThat(get(site, "/dated").cacheStatus().cacheStatus()).isEqualTo("telltale; hit; ttl=2");
        store(site, "/ok", 200, "fine", "Cache-Control", "max-age=600", "Retry-After", "1");
        assertThat(get(site, "/ok").cacheStatus().cacheStatus()).as("only a 5xx is held to it").isEqualTo("telltale; hit; ttl=600");
        store(site, "/odd", 503, "down", "Cache-Control", "max-age=600", "Retry-After", "soon");
        assertThat(get(site, "/odd").cacheStatus().cacheStatus()).as("an invalid Retry-After says nothing")
                .isEqualTo("telltale; hit; ttl=600");
    }

    @Test
    void keepsNoFailureWhenErrorCachingIsOff() {
        SiteCache noErrors = fixture.cache.site("quiet", new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO,
                Duration.ofDays(1), Duration.ZERO, DataSize.ofMiB(1), null, List.of(), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60),
                "Telltale-Cache-Control", true, false));
        Failure refused = Failure.of(FailureCode.ORIGIN_CONNECTION_REFUSED, "refused", Evidence.empty());

        assertThat(noErrors.storeFailure(get(noErrors, "/f"), refused)).isFalse();
        assertThat(store(noErrors, "/e", 503, "down")).isFalse();
        assertThat(get(noErrors, "/e").kind()).as("errors do not make a key hit-for-pass").isEqualTo(Kind.MISS);
    }

    @Test
    void servesStaleOnErrorWithinTheResponsesStaleIfError() {
        store(site, "/a", 200, "stale body", "Cache-Control", "max-age=10, stale-if-error=60");
        fixture.time.advance(Duration.ofSeconds(30));
        CacheLookup lookup = get(site, "/a");
        assertThat(lookup.kind()).as("without a validator the fetch is unconditional").isEqualTo(Kind.MUST_REVALIDATE);

        assertThat(lookup.serveStaleOnError(404, null)).as("only 500, 502, 503, 504 count as errors").isNull();
        CacheResponse response = lookup.serveStaleOnError(503, null);
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; fwd-status=503; ttl=-20");
        assertThat(bodyOf(response)).isEqualTo("stale body");
        CacheResponse failed = lookup.serveStaleOnError(0, "OriginConnectTimeout");
        assertThat(failed.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; ttl=-20; detail=OriginConnectTimeout");
        assertThat(failed.headers().get("X-Cache")).isEqualTo("Hit from gateway");
        failed.release();
        assertThat(fixture.cache.stats().staleServed()).isEqualTo(2);

        fixture.time.advance(Duration.ofSeconds(45));
        assertThat(get(site, "/a").serveStaleOnError(0, "OriginConnectTimeout")).isNull();
    }

    @Test
    void servesStaleOnErrorWithinTheSitesWindowButNeverAgainstMustRevalidate() {
        SiteCache lenient = siteServingStaleFor(Duration.ofMinutes(5));
        store(lenient, "/a", 200, "x", "Cache-Control", "max-age=10");
        store(lenient, "/m", 200, "x", "Cache-Control", "max-age=10, must-revalidate", "ETag", "\"m\"");
        store(lenient, "/s", 200, "x", "Cache-Control", "s-maxage=10", "ETag", "\"s\"");
        fixture.time.advance(Duration.ofMinutes(4));

        CacheResponse stale = get(lenient, "/a").serveStaleOnError(502, null);
        assertThat(stale).isNotNull();
        stale.release();
        assertThat(get(lenient, "/m").serveStaleOnError(502, null)).isNull();
        assertThat(get(lenient, "/s").serveStaleOnError(502, null)).as("s-maxage implies proxy-revalidate").isNull();
    }

    @Test
    void honoursARequestsStaleIfError() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10", "ETag", "\"a\"");
        fixture.time.advance(Duration.ofSeconds(20));

        assertThat(get(site, "/a").serveStaleOnError(503, null)).isNull();
        CacheResponse response = get(site, "/a", "Cache-Control", "stale-if-error=60").serveStaleOnError(503, null);
        assertThat(response).isNotNull();
        response.release();
    }

    @Test
    void evictsByWeightAndReleasesTheEvictedBodies() {
        try (CacheFixture small = new CacheFixture(DataSize.ofKiB(64))) {
            SiteCache tiny = small.site();
            List<CacheResponse> held = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                store(tiny, "/o/" + i, 200, "y".repeat(20_000), "Cache-Control", "max-age=600");
                CacheLookup lookup = get(tiny, "/o/" + i);
                if (lookup.kind() == Kind.HIT) {
                    held.add(lookup.serve());
                }
            }
            CacheStats stats = small.cache.stats();

            assertThat(stats.weightedSize()).isLessThanOrEqualTo(64 * 1024);
            assertThat(stats.evictions()).isGreaterThanOrEqualTo(7);
            long released = held.stream().filter(r -> rootRefCnt(r.body()) == HELD).count();
            long kept = held.stream().filter(r -> rootRefCnt(r.body()) == HELD + 1).count();
            assertThat(released).as("every evicted body lost the store's reference").isGreaterThanOrEqualTo(held.size() - 3);
            assertThat(released + kept).isEqualTo(held.size());
            assertThat(kept).isEqualTo(stats.entries());
            held.forEach(r -> assertThat(bodyOf(r)).hasSize(20_000));
        }
    }

    @Test
    void releasesTheBodyWhenTheEntryExpires() {
        store(site, "/a", 200, "body", "Cache-Control", "max-age=5");
        CacheResponse held = get(site, "/a").serve();
        assertThat(rootRefCnt(held.body())).isEqualTo(HELD + 1);
        fixture.time.advance(Duration.ofSeconds(6));
        fixture.cache.stats();

        assertThat(get(site, "/a").kind()).isEqualTo(Kind.MISS);
        assertThat(rootRefCnt(held.body())).isEqualTo(HELD);
        held.release();
        assertThat(fixture.cache.stats().evictions()).isEqualTo(1);
    }

    @Test
    void purgesByExactPathOrPrefixPerSiteOrHost() {
        store(site, "/img/a.png", 200, "a", "Cache-Control", "max-age=60");
        store(site, "/img/b.png", 200, "b", "Cache-Control", "max-age=60");
        store(site, "/img", 200, "c", "Cache-Control", "max-age=60");
        store(site, "/css/x.css", 200, "d", "Cache-Control", "max-age=60");
        CacheFixture.fill(site, site.lookup(HttpMethod.GET, "https", "static.example", "/img/a.png", headers()), 200, "e",
                "Cache-Control", "max-age=60");

        assertThat(fixture.cache.purge("shop", null, "/img", false)).isEqualTo(1);
        assertThat(fixture.cache.purge("other-site", null, "/img/", true)).isZero();
        assertThat(fixture.cache.purge("shop", "Shop.Example", "/img/", true)).isEqualTo(2);
        assertThat(get(site, "/img/a.png").kind()).isEqualTo(Kind.MISS);
        assertThat(site.lookup(HttpMethod.GET, "https", "static.example", "/img/a.png", headers()).kind()).isEqualTo(Kind.HIT);
        assertThat(get(site, "/css/x.css").kind()).isEqualTo(Kind.HIT);
        assertThat(fixture.cache.purge("shop", null, "/", true)).isEqualTo(2);
    }

    @Test
    void remembersAnUncacheableKeyAsHitForPassForAWhile() {
        assertThat(store(site, "/p", 200, "private", "Cache-Control", "private")).isFalse();

        CacheLookup pass = get(site, "/p");
        assertThat(pass.kind()).isEqualTo(Kind.PASS);
        assertThat(pass.cacheStatus().cacheStatus()).isEqualTo("telltale; fwd=bypass");
        fixture.time.advance(EdgeCache.HIT_FOR_PASS);
        assertThat(get(site, "/p").kind()).isEqualTo(Kind.MISS);
    }

    @Test
    void countsStoresAndStoredBytes() {
        store(site, "/a", 200, "12345", "Cache-Control", "max-age=60");
        CacheStats stats = fixture.cache.stats();

        assertThat(stats.stores()).isEqualTo(1);
        assertThat(stats.bytesStored()).isGreaterThan(5);
        assertThat(stats.entries()).isEqualTo(1);
    }
}
