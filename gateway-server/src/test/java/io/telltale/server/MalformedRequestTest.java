package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Malformed and smuggling requests over raw sockets through the real gateway: each gets its status and code, the
 * connection closes after it, nothing reaches the origin, and nothing is logged with a stack trace.
 */
class MalformedRequestTest {
    private static final String HOST = "Host: www.test\r\n";
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\n" + HOST + "\r\n";

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        log.start();
        root.addAppender(log);
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "maxHeaderFields: 20\nmaxRequestLine: 1KiB");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
        root.detachAppender(log);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                refused("Content-Length list", post("Content-Length: 4, 4\r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length hex", post("Content-Length: 0x4\r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length plus", post("Content-Length: +4\r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length minus", post("Content-Length: -4\r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length junk", post("Content-Length: 4x\r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length empty", post("Content-Length: \r\n", "abcd"), 400, "AmbiguousRequestFraming"),
                refused("Content-Length 2^64", post("Content-Length: 18446744073709551616\r\n", "abcd"), 400,
                        "AmbiguousRequestFraming"),
                refused("Content-Length folded", post("Content-Length: 4\r\n 4\r\n", "abcd"), 400,
                        "AmbiguousRequestFraming"),
                refused("Content-Length with a space", post("Content-Length: 4 4\r\n", "abcd"), 400,
                        "AmbiguousRequestFraming"),
                refused("Content-Length twice", post("Content-Length: 4\r\nContent-Length: 4\r\n", "abcd"), 400,
                        "AmbiguousRequestFraming"),
                refused("Content-Length name with a space", post("Content-Length : 4\r\n", "abcd"), 400,
                        "AmbiguousRequestFraming"),
                refused("CL.TE", post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n" + SMUGGLED),
                        400, "AmbiguousRequestFraming"),
                refused("TE.CL", post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "0\r\n\r\n" + SMUGGLED),
                        400, "AmbiguousRequestFraming"),
                refused("TE xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400,
                        "AmbiguousRequestFraming"),
                refused("TE chunked twice", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400,
                        "AmbiguousRequestFraming"),
                refused("TE gzip then chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 400,
                        "AmbiguousRequestFraming"),
                refused("TE in two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                        "0\r\n\r\n"), 400, "AmbiguousRequestFraming"),
                refused("TE name with a space", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n" + SMUGGLED), 400,
                        "MalformedRequest"),
                refused("request line with tabs", "GET\t/echo HTTP/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("tab before the version", "GET /echo\tHTTP/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("leading whitespace", " GET /echo HTTP/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("two spaces", "GET  /echo HTTP/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("lowercase version", "GET /echo http/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("HTTP/2.0 on HTTP/1", "GET /echo HTTP/2.0\r\n" + HOST + "\r\n", 505, "HttpVersionNotSupported"),
                refused("HTTP/3.0 on HTTP/1", "GET /echo HTTP/3.0\r\n" + HOST + "\r\n", 505, "HttpVersionNotSupported"),
                refused("HTTP/0.9 request line", "GET /echo\r\n\r\n", 400, "MalformedRequest"),
                refused("bare LF after the request line", "GET /echo HTTP/1.1\n" + HOST + "\r\n", 400,
                        "MalformedRequest"),
                refused("bare CR in the headers", "GET /echo HTTP/1.1\r\nHost: www.test\rX: y\r\n\r\n", 400,
                        "MalformedRequest"),
                refused("NUL in a header value", "GET /echo HTTP/1.1\r\n" + HOST + "X: a\u0000b\r\n\r\n", 400,
                        "MalformedRequest"),
                refused("control character in a header name", "GET /echo HTTP/1.1\r\n" + HOST + "X\u0001: a\r\n\r\n",
                        400, "MalformedRequest"),
                refused("more header fields than the limit", "GET /echo HTTP/1.1\r\n" + HOST + "X-A: b\r\n".repeat(20)
                        + "\r\n", 431, "RequestHeaderTooLarge"),
                refused("no Host", "GET /echo HTTP/1.1\r\n\r\n", 400, "MalformedRequest"),
                refused("two Hosts", "GET /echo HTTP/1.1\r\n" + HOST + "Host: other.test\r\n\r\n", 400,
                        "MalformedRequest"),
                refused("Host list", "GET /echo HTTP/1.1\r\nHost: www.test, other.test\r\n\r\n", 400,
                        "MalformedRequest"),
                refused("Host with userinfo", "GET /echo HTTP/1.1\r\nHost: a@www.test\r\n\r\n", 400, "MalformedRequest"),
                refused("CONNECT", "CONNECT www.test:443 HTTP/1.1\r\nHost: www.test:443\r\n\r\n", 400,
                        "MalformedRequest"),
                refused("absolute form with another scheme", "GET ftp://www.test/echo HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "MalformedRequest"),
                refused("absolute form with userinfo", "GET http://a@www.test/echo HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        "MalformedRequest"),
                refused("asterisk form for GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", 400, "MalformedRequest"),
                refused("request line too long", "GET /" + "a".repeat(2000) + " HTTP/1.1\r\n" + HOST + "\r\n", 414,
                        "RequestUriTooLong"),
                refused("header section too large", "GET /echo HTTP/1.1\r\n" + HOST + "X: " + "a".repeat(40_000)
                        + "\r\n\r\n", 431, "RequestHeaderTooLarge"));
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                refused("chunk extension with a space", chunked("0;a b\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"),
                refused("chunk extension without a name", chunked("3;=x\r\nabc\r\n0\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"),
                refused("chunk extension with an open quote", chunked("3;a=\"b\r\nabc\r\n0\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"),
                refused("bad extension on the second chunk", chunked("3\r\nabc\r\n0;a@b\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"),
                refused("chunk extension too long", chunked("3;a=" + "b".repeat(20_000) + "\r\nabc\r\n0\r\n\r\n"), 400,
                        "AmbiguousRequestFraming"),
                refused("negative chunk size", chunked("-1\r\nabc\r\n0\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"),
                refused("chunk size too large", chunked("ffffffffffffffffff\r\nabc\r\n0\r\n\r\n"), 400,
                        "AmbiguousRequestFraming"),
                refused("chunk lines ended by LF", chunked("3\nabc\n0\n\n" + SMUGGLED), 400, "AmbiguousRequestFraming"),
                refused("chunk data longer than its size", chunked("3\r\nabcX\r\n0\r\n\r\n" + SMUGGLED), 400,
                        "AmbiguousRequestFraming"));
    }

    private static Arguments refused(String name, String request, int status, String code) {
        return Arguments.of(name, request, status, code);
    }

    private static String post(String framing, String body) {
        return "POST /upload HTTP/1.1\r\n" + HOST + framing + "\r\n" + body;
    }

    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n", body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesAMalformedHeadAndClosesBeforeAnyOriginConnection(String name, String request, int status, String code)
            throws IOException {
        assertRefusedAndClosed(request, status, code);
        assertThat(origin.connections()).as("connections to the origin").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void refusesAMalformedChunkedBodyAndClosesWithoutCompletingTheForwardedRequest(String name, String request,
            int status, String code) throws IOException {
        assertRefusedAndClosed(request, status, code);
        assertThat(origin.requests()).as("requests the origin read whole").isEmpty();
    }

    @Test
    void forwardsValidChunkExtensions() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send(chunked("3;a=b;c=\"d e\"\r\nabc\r\n2;x\r\nde\r\n0;z=1\r\n\r\n"))
                    .read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("5");
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::target).containsExactly("/upload");
        assertNoStackTrace();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/__telltale/trace%zz", "/__telltale/errors/%zz",
        "/__telltale/requests/%z"})
    void passesALocalPathWithBrokenPercentEncodingOnWithoutAStackTrace(String target) throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n").read().status())
                    .isLessThan(500);
            assertThat(client.send("GET /echo HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::target).containsExactly(target, "/echo");
        assertNoStackTrace();
    }

    @Test
    void keepsServingHttp10And11WithAnyMinorVersion() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /echo HTTP/1.9\r\n" + HOST + "\r\n").read();
            assertThat(response.status()).isEqualTo(200);
        }
        assertThat(origin.requests()).extracting(r -> r.header("Via")).containsExactly("1.1 telltale");
    }

    private void assertRefusedAndClosed(String request, int status, String code) throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send(request).read();
            assertThat(response.status()).as("status").isEqualTo(status);
            assertThat(response.header("X-Gateway-Error-Code")).as("code").isEqualTo(code);
            assertThat(response.header("Connection")).as("Connection").isEqualTo("close");
            assertThat(client.closedByPeer()).as("closed by the gateway").isTrue();
            DocExamples.keep(code, response);
        }
        assertThat(origin.requests()).extracting(TestOrigin.Request::target).doesNotContain("/smuggled");
        assertNoStackTrace();
    }

    private void assertNoStackTrace() {
        assertThat(log.list).as("log lines with a stack trace")
                .filteredOn(event -> event.getThrowableProxy() != null).isEmpty();
    }
}
