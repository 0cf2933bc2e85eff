package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleTest {
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

    @Test
    void stopLetsAnInFlightRequestFinishAndRefusesNewConnections() throws Exception {
        RawHttp inFlight = gateway.client();
        RawHttp idle = gateway.client();
        inFlight.send("GET /hold HTTP/1.1\r\nHost: www.test\r\n\r\n");
        assertThat(origin.awaitHolding(10)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                () -> gateway.server().stop(Duration.ofSeconds(10)));
        assertThat(idle.closedByPeer()).isTrue();
        assertThatThrownBy(() -> new RawHttp(gateway.port()).close()).isInstanceOf(ConnectException.class);
        assertThat(stopping).isNotDone();

        origin.release();
        RawHttp.Response response = inFlight.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("held");
        assertThat(response.header("Connection")).isEqualTo("close");
        stopping.get(10, TimeUnit.SECONDS);
        inFlight.close();
        idle.close();
    }

    @Test
    void adminAnswersHealthReadinessAndMetrics() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            client.send("GET / HTTP/1.1\r\nHost: nosuch.test\r\n\r\n").read();
        }
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            assertThat(admin.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText()).isEqualTo("ok\n");
            assertThat(admin.send("GET /readyz HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            // An exchange is counted when its response has been written, which the client may see first.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText())
                    .contains("telltale_requests_total{code=\"-\",site=\"www\",status=\"200\"} 1.0")
                    .contains("telltale_requests_total{code=\"HostNotConfigured\",site=\"-\",status=\"421\"} 1.0")
                    .contains("telltale_failures_total{code=\"HostNotConfigured\"")
                    .contains("telltale_origin_connect_seconds_count{site=\"www\"} 1")
                    .contains("telltale_origin_first_byte_seconds_count{site=\"www\"} 1")
                    .contains("telltale_client_connections")
                    .contains("telltale_origin_pool_idle"));
            assertThat(admin.send("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(404);
            assertThat(admin.send("GET /failures?limit=0 HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText())
                    .isEqualTo("limit: 0 (expected: 1-1000)\n");
        }
    }

    @Test
    void adminDiagnosesAnOriginStepByStep() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response healthy = admin.send("GET /diagnose?url=http://127.0.0.1:" + origin.port()
                    + "/echo HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(healthy.status()).isEqualTo(200);
            assertThat(healthy.header("Content-Type")).isEqualTo("application/json");
            assertThat(healthy.bodyText()).contains("\"healthy\":true").contains("\"verdict\":\"healthy\"");

            RawHttp.Response refused = admin.send("GET /diagnose?url=http://127.0.0.1:" + closed
                    + "/ HTTP/1.1\r\nHost: a\r\nAccept: text/plain\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.bodyText()).contains("OriginConnectionRefused").contains("FAILED");

            assertThat(admin.send("GET /diagnose HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(400);
            RawHttp.Response ftp = admin.send("GET /diagnose?url=ftp://x/ HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(ftp.status()).isEqualTo(400);
            assertThat(ftp.bodyText()).isEqualTo("url: ftp://x/ (expected: an http or https URL)\n");
        }
    }
}
