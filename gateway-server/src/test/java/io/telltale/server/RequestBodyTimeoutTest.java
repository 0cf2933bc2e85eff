package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its request head and then stops sending the body, or trickles it in, is answered 408
 * {@code RequestBodyTimeout} and its origin attempt is given up: per stream over HTTP/2 (the connection's other
 * streams go on), per request over HTTP/1.1; a body that pauses within the limits still goes through.
 */
class RequestBodyTimeoutTest {
    /** The pace of a trickling client: each gap alone is within the body timeout, together they are not. */
    private static final long TRICKLE_GAP_MILLIS = 100;

    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "bodyTimeout: 400ms\nminBodyRate: 1KiB");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    @Test
    void anHttp2StreamWhoseBodyNeverComesGets408ThenItsStreamIsResetAndTheConnectionGoesOn() throws Exception {
        try (RawH2 h2 = new RawH2(gateway.port())) {
            h2.headers(1, RawH2.request("POST", "/upload").setInt("content-length", 100), false);

            RawH2.Frame answer = h2.await(RawH2.HEADERS);
            Http2Headers head = h2.decode(answer);
            assertThat(answer.stream()).isEqualTo(1);
            assertThat(head.status().toString()).isEqualTo("408");
            assertThat(head.get("x-gateway-error-code").toString()).isEqualTo("RequestBodyTimeout");
            assertThat(head.get("proxy-status").toString()).startsWith("telltale; error=http_request_error");
            RawH2.Frame reset = h2.await(RawH2.RST_STREAM);
            assertThat(reset.stream()).isEqualTo(1);
            assertThat(reset.errorCode()).isNotEqualTo((int) Http2Error.NO_ERROR.code());

            h2.headers(3, RawH2.request("GET", "/echo"), true);
            RawH2.Frame next = h2.await(RawH2.HEADERS);
            assertThat(next.stream()).isEqualTo(3);
            assertThat(h2.decode(next).status().toString()).isEqualTo("200");
        }
        assertThat(failuresCounted()).contains("telltale_failures_total{code=\"RequestBodyTimeout\"");
    }

    @Test
    void anHttp2BodyTricklingSlowerThanTheMinimumRateGets408ThoughNoSingleGapIsTooLong() throws Exception {
        try (RawH2 h2 = new RawH2(gateway.port())) {
            h2.headers(1, RawH2.request("POST", "/upload").setInt("content-length", 10_000), false);
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> trickle(h2));

            RawH2.Frame answer = h2.await(RawH2.HEADERS);

            Http2Headers head = h2.decode(answer);
            assertThat(head.status().toString()).isEqualTo("408");
            assertThat(head.get("x-gateway-error-code").toString()).isEqualTo("RequestBodyTimeout");
            trickle.get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends one byte of body at a time, a gap apart, until the gateway stops taking them. */
    private static void trickle(RawH2 h2) {
        try {
            Pace.every(TRICKLE_GAP_MILLIS, 50, i -> h2.frame(RawH2.DATA, 0, 1, new byte[] {'x'}));
        } catch (IOException | InterruptedException e) {
            // The gateway closed the stream or the test ended: the trickle is over.
        }
    }

    @Test
    void anHttp1BodyThatStopsGets408AndTheConnectionCloses() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("POST /upload HTTP/1.1\r\nHost: www.test\r\n"
                    + "Content-Length: 100\r\n\r\nonly this much").read();

            GatewayErrors.assertGatewayError(response, 408, "RequestBodyTimeout");
            assertThat(response.bodyText()).contains("stopped arriving after 14 bytes");
            DocExamples.keep("RequestBodyTimeout", response);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void aBodyThatPausesWithinTheTimeoutReachesTheOrigin() throws Exception {
        try (RawHttp client = gateway.client()) {
            client.send("POST /upload HTTP/1.1\r\nHost: www.test\r\nContent-Length: 10\r\n\r\nfirst");
            // The rest after a pause shorter than the body timeout: what a slow but live client does.
            Pace.every(150, 1, i -> client.send("fifth"));
            RawHttp.Response response = client.read();

            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            assertThat(response.bodyText()).contains("10");
        }
    }

    private String failuresCounted() {
        return await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (RawHttp admin = new RawHttp(gateway.adminPort())) {
                return admin.send("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
            }
        }, text -> text.contains("RequestBodyTimeout"));
    }
}
