package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientLimitsTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), """
                maxRequestLine: 1KiB
                maxHeaderSize: 2KiB
                maxBodySize: 100
                headerTimeout: 300ms
                keepAliveTimeout: 300ms
                """);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response exchange(String request) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send(request).read();
        }
    }

    /** Asserts a refusal after which the connection cannot be trusted to be in step, so it closes. */
    private static void assertRefused(RawHttp.Response response, int status, String code) throws IOException {
        assertRefusedKeepingAlive(response, status, code);
        assertThat(response.header("Connection")).isEqualTo("close");
    }

    private static void assertRefusedKeepingAlive(RawHttp.Response response, int status, String code) throws IOException {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(response.header("X-Request-Id")).isNotBlank();
        assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
        DocExamples.keep(code, response);
    }

    @Test
    void refusesALongRequestLineWith414() throws IOException {
        assertRefused(exchange("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: www.test\r\n\r\n"), 414,
                "RequestUriTooLong");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesALargeHeaderSectionWith431() throws IOException {
        assertRefused(exchange("GET / HTTP/1.1\r\nHost: www.test\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n"), 431,
                "RequestHeaderTooLarge");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesADeclaredBodyOverTheLimitWith413BeforeForwarding() throws IOException {
        assertRefused(exchange("POST /upload HTTP/1.1\r\nHost: www.test\r\nContent-Length: 101\r\n\r\n"), 413,
                "RequestBodyTooLarge");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesAChunkedBodyThatGrowsOverTheLimitWith413() throws IOException {
        RawHttp.Response response = exchange("POST /upload HTTP/1.1\r\nHost: www.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "40\r\n" + "x".repeat(64) + "\r\n40\r\n" + "y".repeat(64) + "\r\n0\r\n\r\n");
        assertRefused(response, 413, "RequestBodyTooLarge");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void answers408WhenTheHeaderSectionIsNotCompleteInTime() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("GET / HTTP/1.1\r\nHost: www.te");
            RawHttp.Response response = client.read();
            assertRefused(response, 408, "RequestHeaderTimeout");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void closesAnIdleKeepAliveConnectionQuietly() throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void refusesMalformedRequestsWith400AndCloses() throws IOException {
        assertRefused(exchange("GET / HTTP/1.1\r\n\r\n"), 400, "MalformedRequest");
        assertRefused(exchange("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400, "MalformedRequest");
        assertRefused(exchange("GET / HTTP/1.1\r\nHost: www.test\r\nHost: other.test\r\n\r\n"), 400,
                "MalformedRequest");
        assertRefused(exchange("CONNECT www.test:443 HTTP/1.1\r\nHost: www.test:443\r\n\r\n"), 400,
                "MalformedRequest");
        assertRefused(exchange("GET / HTTP/1.1\r\nHost: www.test\r\nBad Header: x\r\n\r\n"), 400, "MalformedRequest");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesControlCharactersInTheRequestTarget() throws IOException {
        assertRefused(exchange("GET /echo\u0001x HTTP/1.1\r\nHost: www.test\r\n\r\n"), 400, "MalformedRequest");
        assertRefused(exchange("GET /echo\u007fy HTTP/1.1\r\nHost: www.test\r\n\r\n"), 400, "MalformedRequest");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesContentLengthWithTransferEncoding() throws IOException {
        assertRefused(exchange("POST /upload HTTP/1.1\r\nHost: www.test\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, "AmbiguousRequestFraming");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesDifferingDuplicateContentLengths() throws IOException {
        assertRefused(exchange("POST /upload HTTP/1.1\r\nHost: www.test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n"
                + "abcde"), 400, "AmbiguousRequestFraming");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesObsoleteLineFolding() throws IOException {
        assertRefused(exchange("GET / HTTP/1.1\r\nHost: www.test\r\nX-Folded: a\r\n b\r\n\r\n"), 400,
                "AmbiguousRequestFraming");
        assertThat(origin.connections()).isZero();
    }

    @Test
    void refusesABadChunkSizeAndDoesNotCompleteTheForwardedRequest() throws IOException {
        RawHttp.Response response = exchange("POST /upload HTTP/1.1\r\nHost: www.test\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        assertRefused(response, 400, "AmbiguousRequestFraming");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void keepsServingAfterARefusalThatLeftTheConnectionClean() throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: nosuch.test\r\n\r\n").read().status()).isEqualTo(421);
            assertThat(client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
