package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.FullHttpRequest;
import io.telltale.server.lab.tls.LabPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origins over HTTP/2 through the real gateway on loopback: h2c and h2 by ALPN, streams multiplexed on few
 * connections within the origin's stream limit, trailers end to end, and each way an HTTP/2 origin fails a
 * stream (reset, GOAWAY, no HTTP/2 at all) named with its evidence; refused streams are sent again.
 */
class Http2OriginTest {
    @TempDir
    Path dir;
    private H2Origin origin;
    private TestOrigin http1;
    private GatewayFixture gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (http1 != null) {
            http1.close();
        }
    }

    private void start(String protocol, int port, String extra) throws InterruptedException {
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    cache: {errorTtl: 0s}
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        protocol: %s
                        httpPort: %d
                        httpsPort: %d
                        connectTimeout: 2s
                        tlsHandshakeTimeout: 2s
                        responseTimeout: 5s
                %s""".formatted(protocol, port, port, extra.indent(8)));
    }

    @Test
    void h2cOriginAnswersThroughTheGatewayOnOneReusedConnection() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");

        // One client connection: its requests run on one event loop, whose origin connection they share.
        try (RawHttp client = gateway.client()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Response response = client.send("GET /hello HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("h2 /hello");
                assertThat(response.header("x-origin-protocol")).isEqualTo("h2");
                assertThat(response.header("x-http2-stream-id")).isNull();
            }
        }
        assertThat(origin.connections()).isEqualTo(1);
    }

    @Test
    void streamsShareOneConnectionAndANewOneOpensWhenTheOriginsLimitIsReached() throws Exception {
        origin = H2Origin.cleartext(2);
        start("h2c", origin.port(), "");
        try (H2Client client = H2Client.cleartext(gateway.port())) {
            List<CompletableFuture<H2Client.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // Distinct paths, or the cache would let one request fetch for all five.
                responses.add(client.start(H2Client.get("www.test", "/slow/" + i)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> origin.held() == 5);
            origin.release();
            for (CompletableFuture<H2Client.Response> response : responses) {
                assertThat(response.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        }
        // Five streams at once, at most two per connection: three connections, never a stream refused.
        assertThat(origin.connections()).isEqualTo(3);
        assertThat(origin.paths()).hasSize(5);
    }

    @Test
    void trailersPassEndToEndBetweenAnHttp2ClientAndAnHttp2Origin() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");
        try (H2Client client = H2Client.cleartext(gateway.port())) {
            FullHttpRequest upload = H2Client.post("www.test", "/upload", "data".getBytes(StandardCharsets.UTF_8));
            upload.headers().remove("content-length");
            upload.trailingHeaders().set("x-upload-digest", "sha-256=abc");

            H2Client.Response response = client.send(upload);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 /upload data");
            assertThat(response.trailers().get("x-checksum")).isEqualTo("c0ffee");
            assertThat(response.trailers().get("x-echo-digest")).isEqualTo("sha-256=abc");
        }
    }

    @Test
    void anOriginResetIsNamedWithItsErrorCode() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/reset/INTERNAL_ERROR");

        List<GatewayErrors.Param> params = GatewayErrors.assertGatewayError(response, 502, "OriginStreamReset");
        assertThat(GatewayErrors.param(params, "error")).isEqualTo("http_protocol_error");
        assertThat(GatewayErrors.param(params, "details")).isEqualTo("RST_STREAM INTERNAL_ERROR");
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(response));
        assertThat(evidence).containsEntry("http2.errorCode", "INTERNAL_ERROR").containsEntry("http2.streamId", 3)
                .doesNotContainKey("http2.unprocessed");
        RawHttp.Response text = GatewayErrors.get(gateway.port(), "www.test", "/reset/INTERNAL_ERROR", "");
        GatewayErrors.assertGatewayError(text, 502, "OriginStreamReset");
        DocExamples.keep("OriginStreamReset", text);
    }

    @Test
    void aRefusedStreamIsSentAgainOnANewConnection() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");

        RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.test", "/refuse-once", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("h2 /refuse-once");
        assertThat(origin.paths()).containsExactly("/refuse-once", "/refuse-once");
        assertThat(origin.connections()).isEqualTo(2);
    }

    @Test
    void aStreamAboveGoAwaysLastStreamIdIsSentAgain() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");

        RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.test", "/goaway-unprocessed-once", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(origin.connections()).isEqualTo(2);
    }

    @Test
    void aGoAwayIsNamedWithItsLastStreamIdCodeAndDebugData() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/goaway");

        List<GatewayErrors.Param> params = GatewayErrors.assertGatewayError(response, 502, "OriginGoAway");
        assertThat(GatewayErrors.param(params, "error")).isEqualTo("connection_terminated");
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(response));
        assertThat(evidence).containsEntry("http2.errorCode", "INTERNAL_ERROR")
                .containsEntry("http2.lastStreamId", 3).containsEntry("http2.streamId", 3)
                .containsEntry("http2.debugData", "db pool exhausted").doesNotContainKey("http2.unprocessed");
        RawHttp.Response text = GatewayErrors.get(gateway.port(), "www.test", "/goaway", "");
        GatewayErrors.assertGatewayError(text, 502, "OriginGoAway");
        DocExamples.keep("OriginGoAway", text);
    }

    @Test
    void anHttp1OriginConfiguredAsH2cIsNamed() throws Exception {
        http1 = new TestOrigin();
        start("h2c", http1.port(), "");

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/");

        GatewayErrors.assertGatewayError(response, 502, "OriginNotHttp2");
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(response));
        assertThat((String) evidence.get("http2.preface")).contains("HTTP/1");
        RawHttp.Response text = GatewayErrors.get(gateway.port(), "www.test", "/", "");
        GatewayErrors.assertGatewayError(text, 502, "OriginNotHttp2");
        DocExamples.keep("OriginNotHttp2", text);
    }

    @Test
    void aWebSocketUpgradeToAnH2cOriginIsRefusedBeforeAnythingIsSent() throws Exception {
        origin = H2Origin.cleartext(100);
        start("h2c", origin.port(), "");
        String upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

        RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.test", "/chat", upgrade);
        RawHttp.Response problem = GatewayErrors.get(gateway.port(), "www.test", "/chat",
                upgrade + "Accept: application/problem+json\r\n");

        List<GatewayErrors.Param> params = GatewayErrors.assertGatewayError(response, 502, "OriginUpgradeUnsupported");
        assertThat(GatewayErrors.param(params, "error")).isEqualTo("proxy_configuration_error");
        assertThat(GatewayErrors.evidence(GatewayErrors.problem(problem))).containsEntry("origin.protocol", "h2c")
                .containsEntry("upgrade", "websocket");
        assertThat(origin.connections()).isZero();
        assertThat(GatewayErrors.get(gateway.port(), "www.test", "/chat", "").bodyText()).isEqualTo("h2 /chat");
        DocExamples.keep("OriginUpgradeUnsupported", response);
    }

    @Test
    void h2OverTlsIsChosenByAlpn() throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        origin = H2Origin.tls(pki.leaf("127.0.0.1"), "h2");
        start("h2", origin.port(), "caBundle: " + pki.writeRootPem(dir.resolve("root.pem")));

        RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.test", "/tls", "");

        assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("h2 /tls");
    }

    @Test
    void anOriginWhoseAlpnChoosesHttp1IsNamed() throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        origin = H2Origin.tls(pki.leaf("127.0.0.1"), "http/1.1");
        start("h2", origin.port(), "caBundle: " + pki.writeRootPem(dir.resolve("root.pem")));

        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "www.test", "/");

        GatewayErrors.assertGatewayError(response, 502, "OriginNotHttp2");
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(response));
        assertThat(evidence).containsEntry("alpn", "http/1.1");
        assertThat(origin.paths()).isEmpty();
    }
}
