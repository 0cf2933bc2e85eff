package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing faults worded by what was on the wire: conflicting Content-Length values, an interim 100 Continue and
 * nothing after it, a 101 nobody asked for, and a cacheable body that breaks off after its head was sent.
 */
class FramingWordsTest {
    private TestOrigin origin;
    private ServerSocket silentAfterContinue;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        silentAfterContinue = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::continueThenSilence, "continue-then-silence");
        acceptor.setDaemon(true);
        acceptor.start();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 5s
                  - name: silent
                    hosts: [silent.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 400ms
                """.formatted(origin.port(), silentAfterContinue.getLocalPort()));
    }

    /** Answers each request with 100 Continue and then nothing, holding the connection open. */
    private void continueThenSilence() {
        try {
            while (!silentAfterContinue.isClosed()) {
                Socket s = silentAfterContinue.accept();
                held.add(s);
                InputStream in = s.getInputStream();
                while (!HttpLines.readLine(in).isEmpty()) {
                    // the request head
                }
                s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
        silentAfterContinue.close();
        for (Socket s : held) {
            s.close();
        }
    }

    private RawHttp.Response problemGet(String host, String path) throws IOException {
        return GatewayErrors.problemGet(gateway.port(), host, path);
    }

    @Test
    void namesConflictingContentLengthsInTheSentenceAndTheFix() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello");

        RawHttp.Response response = problemGet("www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        Map<String, Object> problem = problem(response);
        assertThat(problem.get("detail")).isEqualTo("The origin sent conflicting Content-Length values (5, 7), so nobody "
                + "can tell where its response ends; the gateway refused it rather than guess (RFC 9112 section 6.3).");
        assertThat(evidence(problem)).containsEntry("contentLengths", List.of("5", "7"));
        assertThat((List<?>) problem.get("remediation")).anySatisfy(r -> assertThat(r).asString()
                .startsWith("Send one Content-Length (5, 7 cannot all be right)"));
    }

    @Test
    void saysOnlyAnInterim100ContinueArrivedBeforeTheOriginClosed() throws IOException {
        origin.respondRaw("HTTP/1.1 100 Continue\r\n\r\n");

        RawHttp.Response response = problemGet("www.test", "/raw");

        assertGatewayError(response, 502, "OriginConnectionClosed");
        Map<String, Object> problem = problem(response);
        assertThat(problem.get("detail")).isEqualTo("Only an interim 100 Continue arrived from the origin, which then "
                + "closed the connection: the final response never came.");
        assertThat(evidence(problem)).containsEntry("interimOnly", "100 Continue");
        assertThat((List<?>) problem.get("remediation")).noneSatisfy(r -> assertThat(r).asString().contains("crash"))
                .noneSatisfy(r -> assertThat(r).asString().contains("keep-alive"));
    }

    @Test
    void refusesASwitchOfProtocolsTheRequestDidNotAskFor() throws IOException {
        origin.respondRaw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\nnot http");

        RawHttp.Response response = problemGet("www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        Map<String, Object> problem = problem(response);
        assertThat(problem.get("detail")).asString().startsWith("The origin answered 101 Switching Protocols to a "
                + "request that asked for no upgrade");
        assertThat(evidence(problem)).containsEntry("status", 101).containsEntry("upgrade", "foo");
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 600, 999})
    void refusesAStatusHttpDoesNotDefine(int status) throws IOException {
        origin.respondRaw("HTTP/1.1 " + status + " Odd\r\nContent-Length: 2\r\n\r\nhi");

        RawHttp.Response response = problemGet("www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        assertThat(evidence(problem(response))).containsEntry("status", status);
    }

    @Test
    void saysOnlyAnInterim100ContinueArrivedBeforeTheOriginFellSilent() throws IOException {
        RawHttp.Response response = problemGet("silent.test", "/");

        assertGatewayError(response, 524, "OriginResponseTimeout");
        assertThat(problem(response).get("detail")).isEqualTo("Only an interim 100 Continue arrived from the origin, "
                + "which then sent nothing more within the response timeout: the final response never came.");
    }

    @Test
    void neverSaysStoredOnAHeadWhoseBodyThenBreaksOff() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 1000\r\n\r\n0123456789");

        RawHttp.Response cut;
        try (RawHttp client = gateway.client()) {
            cut = client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
        }

        assertThat(cut.status()).isEqualTo(200);
        assertThat(cut.body()).hasSizeLessThan(1000);
        assertThat(cut.header("Cache-Status")).contains("fwd=uri-miss").doesNotContain("stored");
        origin.respondRaw("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 2\r\n\r\nok");
        try (RawHttp client = gateway.client()) {
            RawHttp.Response next = client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(next.header("X-Cache")).as("the cut body was not stored").isEqualTo("Miss from gateway");
            assertThat(next.bodyText()).isEqualTo("ok");
        }
    }
}
