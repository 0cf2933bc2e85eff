package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CacheRulesTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0, token: s3cret}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {collapseTimeout: 1s}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                  - name: small
                    hosts: [small.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {maxObjectSize: 1KiB, defaultTtl: 60s}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                  - name: query
                    hosts: [query.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {queryParameters: [v]}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                """.formatted(origin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response get(String path) throws IOException {
        return get("www.test", path, "");
    }

    private RawHttp.Response get(String host, String path, String headers) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n").read();
        }
    }

    @Test
    void storesEachVariantOfAVaryingResponseSeparately() throws IOException {
        RawHttp.Response gzipMiss = get("www.test", "/vary/v", "Accept-Encoding: gzip\r\n");
        RawHttp.Response brMiss = get("www.test", "/vary/v", "Accept-Encoding: br\r\n");
        RawHttp.Response gzipHit = get("www.test", "/vary/v", "Accept-Encoding: gzip\r\n");
        RawHttp.Response brHit = get("www.test", "/vary/v", "Accept-Encoding: br\r\n");

        assertThat(gzipMiss.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(brMiss.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(brMiss.header("Cache-Status")).contains("fwd=vary-miss").contains("stored");
        assertThat(gzipHit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(gzipHit.header("Cache-Status")).startsWith("telltale; hit");
        assertThat(gzipHit.bodyText()).isEqualTo("/vary/v in gzip");
        assertThat(brHit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(brHit.bodyText()).isEqualTo("/vary/v in br");
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void purgesEveryVariantOfAPath() throws Exception {
        get("www.test", "/vary/p", "Accept-Encoding: gzip\r\n");
        get("www.test", "/vary/p", "Accept-Encoding: br\r\n");
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response purged = admin.send("POST /purge?site=www&path=/vary/p HTTP/1.1\r\nHost: admin\r\n"
                    + "Authorization: Bearer s3cret\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(purged.status()).isEqualTo(200);
            assertThat(purged.bodyText()).isEqualTo("{\"purged\":2}");
        }

        assertThat(get("www.test", "/vary/p", "Accept-Encoding: gzip\r\n").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(get("www.test", "/vary/p", "Accept-Encoding: br\r\n").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).hasSize(4);
    }

    @Test
    void invalidatesEveryVariantAfterASuccessfulUnsafeRequest() throws IOException {
        get("www.test", "/vary/i", "Accept-Encoding: gzip\r\n");
        get("www.test", "/vary/i", "Accept-Encoding: br\r\n");
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("DELETE /vary/i HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
        }

        assertThat(get("www.test", "/vary/i", "Accept-Encoding: gzip\r\n").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(get("www.test", "/vary/i", "Accept-Encoding: br\r\n").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).hasSize(5);
    }

    @Test
    void treatsVaryValuesDifferingOnlyInSpacingAsOneVariant() throws IOException {
        get("www.test", "/vary/s", "Accept-Encoding: gzip, br\r\n");
        RawHttp.Response hit = get("www.test", "/vary/s", "Accept-Encoding: gzip,br\r\n");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.bodyText()).isEqualTo("/vary/s in gzip, br");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void cutsARangeFromAStoredObjectWithoutAskingTheOrigin() throws IOException {
        get("/cacheable/range");
        RawHttp.Response partial = get("www.test", "/cacheable/range", "Range: bytes=0-9\r\n");
        RawHttp.Response outside = get("www.test", "/cacheable/range", "Range: bytes=500-600\r\n");

        assertThat(partial.status()).isEqualTo(206);
        assertThat(partial.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(partial.header("Cache-Status")).startsWith("telltale; hit");
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 0-9/24");
        assertThat(partial.bodyText()).isEqualTo("body of /c");
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */24");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void answersWholeWhenIfRangeDoesNotMatchOrSeveralRangesAreAsked() throws IOException {
        get("/cacheable/ifr");
        RawHttp.Response matching = get("www.test", "/cacheable/ifr", "Range: bytes=0-3\r\nIf-Range: \"ifr\"\r\n");
        RawHttp.Response changed = get("www.test", "/cacheable/ifr", "Range: bytes=0-3\r\nIf-Range: \"old\"\r\n");
        RawHttp.Response several = get("www.test", "/cacheable/ifr", "Range: bytes=0-1, 4-5\r\n");

        assertThat(matching.status()).isEqualTo(206);
        assertThat(matching.bodyText()).isEqualTo("body");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.bodyText()).isEqualTo("body of /cacheable/ifr");
        assertThat(several.status()).isEqualTo(200);
        assertThat(several.bodyText()).isEqualTo("body of /cacheable/ifr");
        assertThat(List.of(matching, changed, several)).extracting(r -> r.header("X-Cache")).containsOnly("Hit from gateway");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void fetchesAndStoresTheWholeObjectOnARangedMiss() throws IOException {
        RawHttp.Response whole = get("www.test", "/cacheable/tail", "Range: bytes=-4\r\n");
        RawHttp.Response partial = get("www.test", "/cacheable/tail", "Range: bytes=-4\r\n");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(whole.header("Cache-Status")).contains("stored");
        assertThat(whole.bodyText()).isEqualTo("body of /cacheable/tail");
        assertThat(partial.status()).isEqualTo(206);
        assertThat(partial.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(partial.header("Content-Range")).isEqualTo("bytes 19-22/23");
        assertThat(partial.bodyText()).isEqualTo("tail");
        assertThat(origin.requests()).singleElement().satisfies(r -> assertThat(r.header("range")).isNull());
    }

    @Test
    void answersAMatchingIfNoneMatchWithNotModifiedFromTheCache() throws IOException {
        get("/cacheable/tag");
        RawHttp.Response notModified = get("www.test", "/cacheable/tag", "If-None-Match: \"tag\"\r\n");
        RawHttp.Response otherTag = get("www.test", "/cacheable/tag", "If-None-Match: \"other\"\r\n");

        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(notModified.header("ETag")).isEqualTo("\"tag\"");
        assertThat(otherTag.status()).isEqualTo(200);
        assertThat(otherTag.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(otherTag.bodyText()).isEqualTo("body of /cacheable/tag");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void servesStaleWhileRevalidatingInTheBackground() throws IOException {
        origin.cacheControl("max-age=0, stale-while-revalidate=600");
        get("/cacheable/swr");
        origin.cacheControl("max-age=60");

        RawHttp.Response stale = get("/cacheable/swr");

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
        assertThat(stale.bodyText()).isEqualTo("body of /cacheable/swr");
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests().size() == 2);
        assertThat(origin.requests().get(1).header("if-none-match")).isEqualTo("\"swr\"");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/cacheable/swr").header("Cache-Status").matches("telltale; hit; ttl=\\d+"));
        RawHttp.Response fresh = get("/cacheable/swr");
        assertThat(fresh.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(fresh.bodyText()).isEqualTo("body of /cacheable/swr");
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void keepsServingStaleWhileRevalidatingWhenTheBackgroundRevalidationFails() throws IOException {
        origin.cacheControl("max-age=0, stale-while-revalidate=600");
        get("/cacheable/swrfail");
        origin.failWith(503);

        assertStaleWhileRevalidating(get("/cacheable/swrfail"));
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests().size() == 2);
        // A revalidation's claim lasts collapseTimeout (1s here), long after the origin's 503 was handled; the
        // stale hits until a second revalidation starts show that the stored copy survived the first one's 503.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertStaleWhileRevalidating(get("/cacheable/swrfail"));
            return origin.requests().size() >= 3;
        });
    }

    private static void assertStaleWhileRevalidating(RawHttp.Response stale) {
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
        assertThat(stale.bodyText()).isEqualTo("body of /cacheable/swrfail");
    }

    @Test
    void streamsAnObjectLargerThanMaxObjectSizeWholeWithoutStoringIt() throws IOException {
        RawHttp.Response first = get("small.test", "/length/4096", "");
        RawHttp.Response second = get("small.test", "/length/4096", "");
        get("small.test", "/length/512", "");
        RawHttp.Response smallHit = get("small.test", "/length/512", "");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(TestOrigin.pattern(4096));
        assertThat(first.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(first.header("Cache-Status")).doesNotContain("stored");
        assertThat(second.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(second.body()).isEqualTo(TestOrigin.pattern(4096));
        assertThat(smallHit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(smallHit.body()).isEqualTo(TestOrigin.pattern(512));
        assertThat(origin.requests()).extracting(TestOrigin.Request::target)
                .containsExactly("/length/4096", "/length/4096", "/length/512");
    }

    @Test
    void doesNotStoreANoStoreResponse() throws IOException {
        origin.cacheControl("no-store");
        assertNotStored("www.test", "/cacheable/nostore", "");
    }

    @Test
    void doesNotStoreAPrivateResponse() throws IOException {
        origin.cacheControl("private, max-age=60");
        assertNotStored("www.test", "/cacheable/private", "");
    }

    @Test
    void doesNotStoreAResponseToARequestWithAuthorization() throws IOException {
        assertNotStored("www.test", "/cacheable/auth", "Authorization: Bearer visitor\r\n");
        assertThat(get("/cacheable/auth").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).hasSize(3);
    }

    @Test
    void storesAResponseToARequestWithAuthorizationWhenItSaysPublic() throws IOException {
        origin.cacheControl("public, max-age=60");
        get("www.test", "/cacheable/pub", "Authorization: Bearer visitor\r\n");
        RawHttp.Response hit = get("/cacheable/pub");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.bodyText()).isEqualTo("body of /cacheable/pub");
        assertThat(origin.requests()).hasSize(1);
    }

    private void assertNotStored(String host, String path, String headers) throws IOException {
        RawHttp.Response first = get(host, path, headers);
        RawHttp.Response second = get(host, path, headers);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(first.header("Cache-Status")).doesNotContain("stored");
        assertThat(second.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(second.header("Cache-Status")).contains("fwd=bypass").doesNotContain("stored");
        assertThat(second.bodyText()).isEqualTo("body of " + path);
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void sendsANumericAgeOnHits() throws IOException {
        get("/cacheable/age");
        RawHttp.Response hit = get("/cacheable/age");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.headers().get("age")).singleElement().asString().matches("\\d+");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void revalidatesWithTheOriginWhenTheRequestSaysNoCache() throws IOException {
        get("/cacheable/nc");
        RawHttp.Response revalidated = get("www.test", "/cacheable/nc", "Cache-Control: no-cache\r\n");

        assertThat(revalidated.status()).isEqualTo(200);
        assertThat(revalidated.header("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(revalidated.header("Cache-Status")).contains("fwd-status=304");
        assertThat(revalidated.bodyText()).isEqualTo("body of /cacheable/nc");
        assertThat(origin.requests()).hasSize(2);
        assertThat(origin.requests().get(1).header("if-none-match")).isEqualTo("\"nc\"");
    }

    @Test
    void goesToTheOriginWhenTheRequestAcceptsNoAge() throws IOException {
        get("/cacheable/ma");
        RawHttp.Response revalidated = get("www.test", "/cacheable/ma", "Cache-Control: max-age=0\r\n");

        assertThat(revalidated.status()).isEqualTo(200);
        assertThat(revalidated.header("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(revalidated.bodyText()).isEqualTo("body of /cacheable/ma");
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void keysOnlyOnTheConfiguredQueryParameters() throws IOException {
        RawHttp.Response miss = get("query.test", "/cacheable/q?v=1&utm=x", "");
        RawHttp.Response hit = get("query.test", "/cacheable/q?v=1&utm=y", "");
        RawHttp.Response otherVersion = get("query.test", "/cacheable/q?v=2&utm=x", "");

        assertThat(miss.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.header("Cache-Status")).startsWith("telltale; hit");
        assertThat(hit.body()).isEqualTo("body of /cacheable/q?v=1&utm=x".getBytes(StandardCharsets.UTF_8));
        assertThat(otherVersion.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).extracting(TestOrigin.Request::target)
                .containsExactly("/cacheable/q?v=1&utm=x", "/cacheable/q?v=2&utm=x");
    }

    @Test
    void stopsStoringAChunkedBodyOnceItOutgrowsMaxObjectSize() throws IOException {
        RawHttp.Response first = get("small.test", "/bytes/4096", "");
        RawHttp.Response second = get("small.test", "/bytes/4096", "");
        get("small.test", "/bytes/512", "");
        RawHttp.Response smallHit = get("small.test", "/bytes/512", "");

        assertThat(first.body()).isEqualTo(TestOrigin.pattern(4096));
        assertThat(second.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(second.body()).isEqualTo(TestOrigin.pattern(4096));
        assertThat(smallHit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(smallHit.body()).isEqualTo(TestOrigin.pattern(512));
        assertThat(origin.requests()).extracting(TestOrigin.Request::target)
                .containsExactly("/bytes/4096", "/bytes/4096", "/bytes/512");
    }

    @Test
    void storesNothingWhenTheRequestSaysNoStore() throws IOException {
        RawHttp.Response passed = get("www.test", "/cacheable/rns", "Cache-Control: no-store\r\n");
        RawHttp.Response next = get("/cacheable/rns");

        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.header("Cache-Status")).doesNotContain("stored");
        assertThat(next.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(next.header("Cache-Status")).contains("stored");
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void answersOnlyIfCachedMissWithGatewayTimeoutWithoutAskingTheOrigin() throws IOException {
        RawHttp.Response refused = get("www.test", "/cacheable/oic", "Cache-Control: only-if-cached\r\n");
        get("/cacheable/oic");
        RawHttp.Response hit = get("www.test", "/cacheable/oic", "Cache-Control: only-if-cached\r\n");

        assertThat(refused.status()).isEqualTo(504);
        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void keysOnAllQueryParametersSortedByDefault() throws IOException {
        get("/cacheable/all?b=1&a=2");
        RawHttp.Response reordered = get("/cacheable/all?a=2&b=1");
        RawHttp.Response other = get("/cacheable/all?a=2&b=3");

        assertThat(reordered.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(other.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void fetchesAHeadMissAsAGetAndStoresIt() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response head = client.send("HEAD /cacheable/hm HTTP/1.1\r\nHost: www.test\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("X-Cache")).isEqualTo("Miss from gateway");
        }
        RawHttp.Response hit = get("/cacheable/hm");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.bodyText()).isEqualTo("body of /cacheable/hm");
        assertThat(origin.requests()).extracting(TestOrigin.Request::method).containsExactly("GET");
    }

    @Test
    void fetchesTheWholeObjectOnAConditionalMissAndAnswersTheNextConditionalItself() throws IOException {
        RawHttp.Response whole = get("www.test", "/cacheable/cm", "If-None-Match: \"cm\"\r\n");
        RawHttp.Response notModified = get("www.test", "/cacheable/cm", "If-None-Match: \"cm\"\r\n");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.header("Cache-Status")).contains("stored");
        assertThat(whole.bodyText()).isEqualTo("body of /cacheable/cm");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(origin.requests()).singleElement()
                .satisfies(r -> assertThat(r.header("if-none-match")).isNull());
    }
}
