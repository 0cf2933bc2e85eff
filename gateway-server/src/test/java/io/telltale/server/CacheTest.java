package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CacheTest {
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
                    cache: {errorTtl: 10s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 5s
                """.formatted(origin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response get(String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
        }
    }

    @Test
    void servesASecondRequestFromTheCache() throws IOException {
        RawHttp.Response miss = get("/cacheable/a");
        RawHttp.Response hit = get("/cacheable/a");

        assertThat(miss.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(miss.header("Cache-Status")).contains("fwd=uri-miss").contains("stored");
        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.header("Cache-Status")).startsWith("telltale; hit");
        assertThat(hit.header("Age")).isNotNull();
        assertThat(hit.header("X-Request-Id")).isNotEqualTo(miss.header("X-Request-Id"));
        assertThat(hit.bodyText()).isEqualTo("body of /cacheable/a");
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void answersHeadFromAStoredGet() throws IOException {
        get("/cacheable/h");
        try (RawHttp client = gateway.client()) {
            RawHttp.Response head = client.send("HEAD /cacheable/h HTTP/1.1\r\nHost: www.test\r\n\r\n").read(true);
            assertThat(head.header("X-Cache")).isEqualTo("Hit from gateway");
            assertThat(head.header("Content-Length")).isEqualTo("20");
            assertThat(client.send("GET /cacheable/h HTTP/1.1\r\nHost: www.test\r\n\r\n").read().bodyText())
                    .isEqualTo("body of /cacheable/h");
        }
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void collapsesConcurrentMissesIntoOneOriginRequest() throws Exception {
        int clients = 100;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RawHttp.Response>> responses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                responses.add(pool.submit(() -> get("/held/c")));
            }
            assertThat(origin.awaitHolding(20)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("telltale_cache_collapsed") >= clients - 1);
            origin.release();
            for (Future<RawHttp.Response> response : responses) {
                RawHttp.Response r = response.get();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("body of /held/c");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void revalidatesAStaleObjectAndReportsARefreshHit() throws IOException {
        origin.cacheControl("max-age=0, must-revalidate");
        get("/cacheable/r");
        RawHttp.Response refreshed = get("/cacheable/r");

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.header("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(refreshed.bodyText()).isEqualTo("body of /cacheable/r");
        assertThat(origin.requests()).hasSize(2);
        assertThat(origin.requests().get(1).header("if-none-match")).isEqualTo("\"r\"");
    }

    @Test
    void servesTheStaleCopyWhenTheOriginIsDownAndNamesTheFailure() throws IOException {
        origin.cacheControl("max-age=0, stale-if-error=600");
        get("/cacheable/s");
        origin.close();

        RawHttp.Response stale = get("/cacheable/s");

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("body of /cacheable/s");
        assertThat(stale.header("Cache-Status")).contains("fwd=stale").contains("OriginConnectionRefused");
        String journal = adminGet("/failures?code=OriginConnectionRefused");
        assertThat(journal).contains(stale.header("X-Request-Id"));
    }

    @Test
    void cachesAGatewayErrorBriefly() throws Exception {
        // An origin that refuses for sure: its port stays bound, so nothing else can answer on it.
        try (BrokenOrigin refusing = BrokenOrigin.start(OriginFault.REFUSED);
                GatewayFixture refused = GatewayFixture.forOrigin(refusing.port(), "")) {
            RawHttp.Response first = GatewayErrors.get(refused.port(), "www.test", "/anything", "");
            RawHttp.Response second = GatewayErrors.get(refused.port(), "www.test", "/anything", "");

            assertThat(first.status()).isEqualTo(521);
            assertThat(first.header("Cache-Status")).contains("fwd=miss");
            assertThat(second.status()).isEqualTo(521);
            assertThat(second.header("X-Cache")).isEqualTo("Error from gateway");
            assertThat(second.header("Cache-Status")).contains("hit").contains("OriginConnectionRefused");
        }
    }

    @Test
    void purgesByPrefixWithTheAdminToken() throws Exception {
        get("/cacheable/p1");
        get("/cacheable/p2");
        HttpClient http = HttpClient.newHttpClient();
        URI purge = URI.create("http://127.0.0.1:" + gateway.adminPort() + "/purge?site=www&path=/cacheable/&prefix=true");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(purge).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> purged = http.send(HttpRequest.newBuilder(purge).header("Authorization", "Bearer s3cret")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(purged.body()).isEqualTo("{\"purged\":2}");
        assertThat(get("/cacheable/p1").header("X-Cache")).isEqualTo("Miss from gateway");
    }

    @Test
    void invalidatesAStoredObjectAfterASuccessfulUnsafeRequest() throws IOException {
        get("/cacheable/u");
        try (RawHttp client = gateway.client()) {
            client.send("POST /cacheable/u HTTP/1.1\r\nHost: www.test\r\nContent-Length: 1\r\n\r\nx").read();
        }
        assertThat(get("/cacheable/u").header("X-Cache")).isEqualTo("Miss from gateway");
    }

    private long metric(String name) throws Exception {
        for (String line : adminGet("/metrics").split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private String adminGet(String path) throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("GET " + path + " HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
    }
}
