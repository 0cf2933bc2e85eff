package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the strict response decoder refuses on a real loopback origin: a header line without a colon, and bytes an
 * origin sends after its response ended, which must never be read as the next request's response.
 */
class OriginResponseStrictnessTest {
    @RegisterExtension
    final NoStackTraceInLog noStackTraces = new NoStackTraceInLog();
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
    void refusesAHeaderLineWithoutAColonAndSaysWhichLine() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nJunk line\r\nX-After: yes\r\n\r\nok");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        Map<String, Object> problem = problem(response);
        assertThat(evidence(problem)).containsEntry("headerLine", "Junk line");
        assertThat(problem.get("detail")).asString().contains("line without a colon (\"Junk line\")");
    }

    @Test
    void escapesAndCutsTheRefusedLineInItsEvidence() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nbad\u0001\\" + "x".repeat(100) + "\r\n\r\nok");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        assertThat(evidence(problem(response))).containsEntry("headerLine",
                "bad\\x01\\x5c" + "x".repeat(64 - 5) + "...");
    }

    @Test
    void passesOnAResponseWhoseHeaderLinesAllHaveAColon() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Empty:\r\nX-Url: http://a:1/\r\n\r\nok");

        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void neverReusesAConnectionWhereAHeadResponseLeftStrayBytes() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab");

        try (RawHttp client = gateway.client()) {
            RawHttp.Response first = client.send(
                    "HEAD /kept-raw HTTP/1.1\r\nHost: www.test\r\nCache-Control: no-store\r\n\r\n").read(true);
            assertThat(first.status()).isEqualTo(200);
            RawHttp.Response next = client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read();

            assertThat(next.status()).as("the GET after it: %s", next.bodyText()).isEqualTo(200);
            assertThat(next.bodyText()).startsWith("GET /echo");
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::method).containsExactly("HEAD", "GET");
        assertThat(origin.connections()).as("the stray bytes' connection was closed, not reused").isEqualTo(2);
    }

    @Test
    void stillReusesAConnectionWhoseResponseEndedCleanly() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response head = client.send(
                    "HEAD /echo HTTP/1.1\r\nHost: www.test\r\nCache-Control: no-store\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::method).containsExactly("HEAD", "GET");
        assertThat(origin.connections()).isEqualTo(1);
    }
}
