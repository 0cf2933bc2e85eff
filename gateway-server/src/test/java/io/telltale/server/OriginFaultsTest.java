package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Origin faults found with a raw-socket corpus: each answer is written byte for byte by a loopback origin, and the
 * gateway must refuse what it cannot pass on truthfully, pass on the rest, and never log a stack trace for it.
 */
class OriginFaultsTest {
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

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9"})
    void refusesAStatusLineOfAnotherHttpVersion(String version) throws IOException {
        origin.respondRaw(version + " 200 OK\r\nContent-Length: 2\r\n\r\nok");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        assertThat(problem(response).get("detail")).asString().startsWith("The origin's status line says " + version
                + " on an HTTP/1.1 connection");
        assertThat(evidence(problem(response))).containsEntry("version", version);
    }

    @Test
    void refusesTransferCodingsBeforeChunkedThatWouldReachTheClientStillCoded() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/raw");

        assertGatewayError(response, 502, "OriginInvalidResponse");
        assertThat(evidence(problem(response))).containsEntry("transferEncoding", "gzip, chunked");
    }

    @Test
    void passesAnUnknownSingleCodingOnAsABodyReadUntilClose() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nread until close");

        RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.test", "/raw", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("read until close");
    }

    @Test
    void keepsHeaderOnlyFieldsOutOfTheTrailersItPassesOn() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Checksum: abc\r\n"
                + "Host: evil.test\r\nSet-Cookie: session=stolen\r\nContent-Type: text/evil\r\nLocation: /evil\r\n\r\n");

        String trailers;
        try (RawHttp client = gateway.client()) {
            client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\nTE: trailers\r\nConnection: close\r\n\r\n");
            RawHttp.Response head = client.read(true);
            assertThat(head.status()).isEqualTo(200);
            trailers = new String(client.input().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(trailers).startsWith("2\r\nok\r\n0\r\n").contains("X-Checksum: abc\r\n").endsWith("\r\n\r\n")
                .doesNotContainIgnoringCase("host:").doesNotContainIgnoringCase("set-cookie")
                .doesNotContainIgnoringCase("content-type").doesNotContainIgnoringCase("location");
    }

    @Test
    void sendsTheHeadAndBodyItHadBeforeAChunkBrokeInTheSameRead() throws IOException {
        origin.respondRaw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n");

        String rest;
        RawHttp.Response head;
        try (RawHttp client = gateway.client()) {
            client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\n\r\n");
            head = client.read(true);
            rest = new String(client.input().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(head.status()).as("the head is not dropped with the connection").isEqualTo(200);
        assertThat(rest).as("a cut chunked body, never its last chunk").isEqualTo("2\r\nok\r\n");
    }

    @Test
    void takesControlCharactersOutOfAReasonPhraseItPassesOn() throws IOException {
        origin.respondRaw("HTTP/1.1 200 O\u0001K\u001b[2J\r\nContent-Length: 2\r\n\r\nok");

        String statusLine;
        try (RawHttp client = gateway.client()) {
            client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\nConnection: close\r\n\r\n");
            statusLine = HttpLines.readLine(client.input());
        }

        assertThat(statusLine).isEqualTo("HTTP/1.1 200 OK[2J");
    }

    @ParameterizedTest
    @ValueSource(strings = {"204 No Content\r\nContent-Length: 2", "304 Not Modified\r\nContent-Length: 2"})
    void neverSendsTheNextRequestOnAConnectionWhereA204Or304LeftABody(String head) throws IOException {
        origin.respondRaw("HTTP/1.1 " + head + "\r\n\r\nok");

        try (RawHttp client = gateway.client()) {
            RawHttp.Response first = client.send("GET /kept-raw HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(first.status()).isIn(204, 304);
            RawHttp.Response next = client.send("POST /echo HTTP/1.1\r\nHost: www.test\r\nContent-Length: 0\r\n\r\n")
                    .read();
            assertThat(next.status()).as("the POST after it: %s", next.bodyText()).isEqualTo(200);
        }
    }

    @Test
    void passesA204OnWithoutTheContentLengthNo204MayCarry() throws Exception {
        origin.respondRaw("HTTP/1.1 204 No Content\r\nContent-Length: 2\r\nX-Kept: yes\r\n\r\n");

        try (H2Client client = H2Client.cleartext(gateway.port())) {
            H2Client.Response response = client.send(H2Client.get("www.test", "/raw"));

            assertThat(response.status()).isEqualTo(204);
            assertThat(response.headers().get("x-kept")).isEqualTo("yes");
            assertThat(response.headers().get("content-length"))
                    .as("the test client counts the body itself: 0, never the origin's 2").isIn(null, "0");
        }
    }

    @Test
    void timesOutAnOriginThatSendsInterimResponsesWithoutEnd() throws Exception {
        try (ServerSocket endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread hints = new Thread(() -> hintsForTenSeconds(endless), "endless-hints");
            hints.setDaemon(true);
            hints.start();
            try (GatewayFixture endlessGateway = GatewayFixture.forOrigin(endless.getLocalPort(), "")) {
                RawHttp.Response response;
                try (RawHttp client = endlessGateway.client()) {
                    client.send("GET / HTTP/1.1\r\nHost: www.test\r\nAccept: application/problem+json\r\n\r\n");
                    do {
                        // The hints the origin sent are passed on; the final response follows them.
                        response = client.read();
                    } while (response.status() == 103);
                }

                assertGatewayError(response, 524, "OriginResponseTimeout");
                assertThat(evidence(problem(response))).containsEntry("interimOnly", "103 Early Hints");
            }
        }
    }

    /** Answers one request with a 103 every 100 ms for ten seconds, and only then with its final response. */
    private static void hintsForTenSeconds(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            while (!HttpLines.readLine(in).isEmpty()) {
                // the request head
            }
            OutputStream out = s.getOutputStream();
            Pace.every(100, 100, i -> {
                out.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            });
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | InterruptedException gone) {
            // the gateway gave up on this connection, as it should
        }
    }
}
