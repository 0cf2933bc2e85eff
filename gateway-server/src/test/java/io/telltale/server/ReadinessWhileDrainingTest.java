package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Kubernetes' probes see while a pod stops: unready at once, alive until the last request is done. */
class ReadinessWhileDrainingTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response admin(String path) throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
        }
    }

    @Test
    void readinessFailsAndLivenessHoldsWhileInFlightRequestsDrain() throws Exception {
        assertThat(admin("/readyz").status()).isEqualTo(200);
        RawHttp inFlight = gateway.client();
        inFlight.send("GET /hold HTTP/1.1\r\nHost: www.test\r\n\r\n");
        assertThat(origin.awaitHolding(10)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                () -> gateway.server().stop(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(5)).until(() -> admin("/readyz").status() == 503);
        RawHttp.Response readiness = admin("/readyz");
        assertThat(readiness.bodyText()).isEqualTo("draining\n");
        RawHttp.Response liveness = admin("/healthz");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(stopping).isNotDone();

        origin.release();
        assertThat(inFlight.read().status()).isEqualTo(200);
        stopping.get(10, TimeUnit.SECONDS);
        inFlight.close();
    }
}
