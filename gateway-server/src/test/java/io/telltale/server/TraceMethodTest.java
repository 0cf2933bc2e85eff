package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TRACE is answered 405 by the gateway unless the site allows it; admin and journal answers are never sniffed. */
class TraceMethodTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                admin:
                  port: 0
                sites:
                  - name: closed
                    hosts: [closed.test]
                    trustedNetworks: [127.0.0.0/8]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        httpPort: %1$d
                  - name: open
                    hosts: [open.test]
                    allowTrace: true
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        httpPort: %1$d
                """.formatted(origin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    @Test
    void answersTrace405WithAllowAndForwardsNothing() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("TRACE /echo HTTP/1.1\r\nHost: closed.test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("MethodNotAllowed");
            DocExamples.keep("MethodNotAllowed", response);
            assertThat(response.header("Allow")).contains("GET").doesNotContain("TRACE");
            // The connection stays usable: a TRACE has no body to fall out of step with.
            assertThat(client.send("GET /echo HTTP/1.1\r\nHost: closed.test\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::method).containsExactly("GET");
    }

    @Test
    void forwardsTraceForASiteThatAllowsIt() throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("TRACE /echo HTTP/1.1\r\nHost: open.test\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::method).containsExactly("TRACE");
    }

    @Test
    void marksAdminAndJournalAnswersNosniff() throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response health = admin.send("GET /healthz HTTP/1.1\r\nHost: admin\r\n\r\n").read();
            assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        try (RawHttp client = gateway.client()) {
            RawHttp.Response missing = client.send("GET /__telltale/requests/nosuch HTTP/1.1\r\nHost: closed.test\r\n\r\n")
                    .read();
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }
}
