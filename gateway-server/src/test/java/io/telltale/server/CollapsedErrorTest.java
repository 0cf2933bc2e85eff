package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.FlappingOrigin.Mode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent misses of one object collapse onto one origin request even when its answer is an uncacheable 503
 * (no freshness): the requests that waited for that same fetch share its answer, nothing is stored, and the
 * first request after the origin recovers gets the object (issue 19), on the cache's injected clock.
 */
class CollapsedErrorTest {
    private static final int FOLLOWERS = 6;

    private final TestClock clock = new TestClock();
    private final ExecutorService clients = Executors.newFixedThreadPool(FOLLOWERS + 1);
    private FlappingOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new FlappingOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 10s, serveStaleOnError: 1h, collapseTimeout: 30s, collapseStall: 30s}
                    origins: [{host: 127.0.0.1, httpPort: %d, connectTimeout: 2s, responseTimeout: 20s}]
                """.formatted(origin.port()), clock);
    }

    @AfterEach
    void stop() throws IOException {
        origin.release();
        clients.shutdownNow();
        gateway.close();
        origin.close();
    }

    private RawHttp.Response fetch(String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
        }
    }

    private Future<RawHttp.Response> fetchLater(String path) {
        return clients.submit(() -> fetch(path));
    }

    @Test
    void requestsWaitingForOneFetchShareItsUncacheable503AndTheFirstAfterRecoveryGetsTheObject() throws Exception {
        origin.mode(Mode.UNAVAILABLE);
        origin.holdAnswers();
        long collapsedBefore = Metrics.read(gateway, "telltale_cache_collapsed");
        Future<RawHttp.Response> leader = fetchLater("/obj/c");
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.arrivals() == 1);
        List<Future<RawHttp.Response>> followers = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            followers.add(fetchLater("/obj/c"));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Metrics.read(gateway, "telltale_cache_collapsed") - collapsedBefore == FOLLOWERS);
        origin.release();

        RawHttp.Response led = leader.get(10, TimeUnit.SECONDS);
        assertThat(led.status()).isEqualTo(503);
        assertThat(led.bodyText()).isEqualTo("busy");
        assertThat(led.header("Cache-Status")).doesNotContain("stored");
        for (Future<RawHttp.Response> f : followers) {
            RawHttp.Response shared = f.get(10, TimeUnit.SECONDS);
            assertThat(shared.status()).isEqualTo(503);
            assertThat(shared.header("Retry-After")).isEqualTo("1");
            assertThat(shared.bodyText()).isEqualTo("busy");
            assertThat(shared.header("Cache-Status")).as("shared from the one fetch, never stored")
                    .contains("collapsed").doesNotContain("stored").doesNotContain("hit");
        }
        assertThat(origin.requestsFor("/obj/c")).as("one origin request for %d clients", FOLLOWERS + 1).isEqualTo(1);

        origin.mode(Mode.HEALTHY);
        RawHttp.Response recovered = fetch("/obj/c");

        assertThat(recovered.status()).as("no error outlives the recovery").isEqualTo(200);
        assertThat(recovered.bodyText()).isEqualTo(FlappingOrigin.body("c"));
        assertThat(origin.requestsFor("/obj/c")).isEqualTo(2);
    }
}
