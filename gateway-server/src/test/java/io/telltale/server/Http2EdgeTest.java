package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 toward clients through the real gateway on loopback: h2 by ALPN over TLS and h2c with prior
 * knowledge, each stream one more exchange through the same phases, and each flood protection provoked.
 */
class Http2EdgeTest {
    @TempDir
    Path dir;
    private TestOrigin origin;
    private GatewayFixture gateway;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private void start(int originPort, String http2) throws InterruptedException {
        start(originPort, http2, "{}");
    }

    private void start(int originPort, String http2, String limits) throws InterruptedException {
        gateway = GatewayFixture.start("""
                server:
                  httpPort: 0
                  drainTimeout: 5s
                  http2: %s
                limits: %s
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {}
                    origins:
                      - {host: 127.0.0.1, httpPort: %d, connectTimeout: 2s, responseTimeout: 2s}
                """.formatted(http2, limits, originPort));
    }

    private String metrics() throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText();
        }
    }

    /** Keeps, as the code's example, what the client sent, the frame the gateway answered with and what it counted. */
    private void keepRecord(String code, String sent, RawH2.Frame frame) throws IOException {
        String counted = metrics().lines().filter(line -> line.startsWith("telltale_failures_total{code=\"" + code + "\""))
                .findFirst().orElseThrow();
        Map<String, String> seen = new LinkedHashMap<>();
        seen.put("What the client sent (HTTP/2 with prior knowledge)", sent);
        seen.put("Frame the gateway answered with (no HTTP response exists)", frame.describe());
        seen.put("Counted on the admin port's /metrics (the only record the gateway keeps of it)", counted);
        DocExamples.keepRecord(code, seen);
    }

    private static String failures(String code) {
        return "telltale_failures_total{code=\"" + code + "\",origin=\"-\",site=\"-\"} 1.0";
    }

    @Test
    void servesAMissThenAHitOverTlsByAlpnFromTheObjectAnHttp11RequestStored() throws Exception {
        origin = new TestOrigin();
        LabPki pki = LabPki.create(Clock.systemUTC());
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        pki.leaf("www.test").writePem(cert, key);
        gateway = GatewayFixture.start("""
                server: {httpPort: 0, httpsPort: 0}
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {}
                    tls: {certificate: %s, key: %s}
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(cert, key, origin.port()));
        try (H2Client h2 = H2Client.tls(gateway.server().httpsPort(), "www.test", pki.root())) {
            assertThat(h2.alpn()).isEqualTo("h2");
            H2Client.Response miss = h2.send(H2Client.get("www.test", "/cacheable/a"));
            H2Client.Response hit = h2.send(H2Client.get("www.test", "/cacheable/a"));
            H2Client.Response trace = h2.send(H2Client.get("www.test", "/__telltale/trace"));

            assertThat(miss.status()).isEqualTo(200);
            assertThat(miss.header("x-cache")).startsWith("Miss");
            assertThat(miss.body()).isEqualTo("body of /cacheable/a");
            assertThat(hit.status()).isEqualTo(200);
            assertThat(hit.header("x-cache")).startsWith("Hit");
            assertThat(hit.body()).isEqualTo("body of /cacheable/a");
            assertThat(origin.requests()).hasSize(1);
            assertThat(trace.body()).contains("\nhttp=http/2\n", "\ntls=TLSv1.3\n", "\nsni=www.test\n",
                    "\nvisit_scheme=https\n");
        }
    }

    @Test
    void servesHitsOverEitherProtocolFromTheObjectTheOtherStored() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}");
        try (H2Client h2 = H2Client.cleartext(gateway.port()); RawHttp h1 = gateway.client()) {
            H2Client.Response miss = h2.send(H2Client.get("www.test", "/cacheable/a"));
            RawHttp.Response hitOverH1 = h1.send("GET /cacheable/a HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            RawHttp.Response missOverH1 = h1.send("GET /cacheable/b HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            H2Client.Response hit = h2.send(H2Client.get("www.test", "/cacheable/b"));

            assertThat(miss.header("x-cache")).startsWith("Miss");
            assertThat(hitOverH1.header("X-Cache")).startsWith("Hit");
            assertThat(hitOverH1.bodyText()).isEqualTo("body of /cacheable/a");
            assertThat(missOverH1.header("X-Cache")).startsWith("Miss");
            assertThat(hit.status()).isEqualTo(200);
            assertThat(hit.header("x-cache")).startsWith("Hit");
            assertThat(hit.header("etag")).isEqualTo("\"b\"");
            assertThat(hit.header("age")).isNotNull();
            assertThat(hit.header("cache-status")).startsWith("telltale; hit");
            assertThat(hit.header(HttpHeaderNames.CONTENT_LENGTH.toString())).isEqualTo("20");
            assertThat(hit.body()).isEqualTo("body of /cacheable/b");
            assertThat(origin.requests()).hasSize(2);
            // An exchange is counted once its response's write completed, which the client may see first.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metrics()).contains(
                    "telltale_requests_total{code=\"-\",protocol=\"h2\",site=\"www\",status=\"200\"} 2.0",
                    "telltale_requests_total{code=\"-\",protocol=\"h1\",site=\"www\",status=\"200\"} 2.0"));
        }
    }

    @Test
    void takesPriorKnowledgeOnThePlainListenerWithRequestBodiesAndConcurrentStreams() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}");
        try (H2Client h2 = H2Client.cleartext(gateway.port())) {
            byte[] body = TestOrigin.pattern(100_000);
            H2Client.Response upload = h2.send(H2Client.post("www.test", "/upload", body));
            List<CompletableFuture<H2Client.Response>> streams = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                streams.add(h2.start(H2Client.get("www.test", "/echo/" + i)));
            }
            H2Client.Response first = h2.send(H2Client.get("www.test", "/echo/first"));

            assertThat(upload.status()).isEqualTo(200);
            assertThat(upload.body()).isEqualTo("100000");
            for (int i = 0; i < 10; i++) {
                H2Client.Response r = streams.get(i).get();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).startsWith("GET /echo/" + i + "\n");
            }
            // What Netty's conversion adds for HTTP/1.1 stays inside the gateway; the origin sees one Host.
            assertThat(first.body()).contains("host: www.test\n").doesNotContain("x-http2").doesNotContain("connection");
            assertThat(first.header("x-origin-hop")).isNull();
        }
        // HTTP/1.1 still works on the same listener.
        try (RawHttp h1 = gateway.client()) {
            assertThat(h1.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void explainsARefusedOriginOverHttp2AsOverHttp11() throws Exception {
        int refusing;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = closed.getLocalPort();
        }
        start(refusing, "{}");
        RawHttp.Response h1;
        try (RawHttp client = gateway.client()) {
            h1 = client.send("GET /a HTTP/1.1\r\nHost: www.test\r\nAccept: text/plain\r\n\r\n").read();
        }
        try (H2Client h2 = H2Client.cleartext(gateway.port())) {
            var request = H2Client.get("www.test", "/a");
            request.headers().set(HttpHeaderNames.ACCEPT, "text/plain");
            H2Client.Response error = h2.send(request);

            assertThat(error.status()).isEqualTo(521).isEqualTo(h1.status());
            assertThat(error.header("x-cache")).isEqualTo("Error from gateway").isEqualTo(h1.header("X-Cache"));
            assertThat(error.header("x-gateway-error-code")).isEqualTo("OriginConnectionRefused");
            assertThat(error.header("proxy-status")).contains("error=connection_refused")
                    .isEqualTo(h1.header("Proxy-Status"));
            assertThat(error.header("x-request-id")).isNotEqualTo(h1.header("X-Request-Id"));
            assertThat(error.body().lines().findFirst()).isEqualTo(h1.bodyText().lines().findFirst())
                    .contains("521 OriginConnectionRefused (edge 521): The origin refused the connection");
            assertThat(error.body()).contains("Request id: " + error.header("x-request-id"), "origin.port: " + refusing);
        }
    }

    @Test
    void refusesAStreamOverTheConcurrencyLimit() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxConcurrentStreams: 2}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            raw.headers(1, RawH2.request("GET", "/hold"), true);
            raw.headers(3, RawH2.request("GET", "/hold"), true);
            raw.headers(5, RawH2.request("GET", "/hold"), true);

            RawH2.Frame reset = raw.await(RawH2.RST_STREAM);
            assertThat(reset.stream()).isEqualTo(5);
            assertThat(reset.errorCode()).isEqualTo((int) Http2Error.REFUSED_STREAM.code());
            origin.release();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(metrics()).contains(failures("Http2StreamLimit")));
            keepRecord("Http2StreamLimit", "The third stream with maxConcurrentStreams: 2", reset);
        }
    }

    @Test
    void answersATooLargeHeaderListWith431AndAHugeOneWithGoaway() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxHeaderListSize: 1KiB}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            Http2Headers large = RawH2.request("GET", "/echo").add("x-big", "a".repeat(1100));
            raw.headers(1, large, true);

            RawH2.Frame answer = raw.await(RawH2.HEADERS);
            assertThat(answer.stream()).isEqualTo(1);
            assertThat(raw.decode(answer).status().toString()).isEqualTo("431");

            // An HPACK block far beyond the limit is not even decoded: the connection ends.
            raw.headers(3, RawH2.request("GET", "/echo").add("x-big", "a".repeat(4000)), true);
            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.PROTOCOL_ERROR.code());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metrics())
                    .contains("telltale_failures_total{code=\"Http2HeaderListTooLarge\",origin=\"-\",site=\"-\"} 2.0"));
            keepRecord("Http2HeaderListTooLarge", "Stream 1 with 1.1 KiB of header fields under maxHeaderListSize: 1KiB got HEADERS"
                    + " :status " + raw.decode(answer).status() + "; then stream 3 with 4 KiB", goAway);
        }
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void endsAContinuationFloodWithEnhanceYourCalm() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxSmallContinuationFrames: 4}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            byte[] block = raw.block(1, RawH2.request("GET", "/echo"));
            raw.frame(RawH2.HEADERS, RawH2.END_STREAM, 1, block);
            for (int i = 0; i < 8; i++) {
                raw.frame(RawH2.CONTINUATION, 0, 1, new byte[0]);
            }

            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.ENHANCE_YOUR_CALM.code());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(metrics()).contains(failures("Http2ContinuationFlood")));
            keepRecord("Http2ContinuationFlood", "HEADERS then 8 empty CONTINUATION frames with maxSmallContinuationFrames: 4",
                    goAway);
        }
    }

    @Test
    void endsAnEmptyDataFrameFloodWithEnhanceYourCalm() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxEmptyDataFrames: 2}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            raw.headers(1, RawH2.request("POST", "/upload"), false);
            for (int i = 0; i < 4; i++) {
                raw.frame(RawH2.DATA, 0, 1, new byte[0]);
            }

            assertThat(raw.await(RawH2.GOAWAY).errorCode()).isEqualTo((int) Http2Error.ENHANCE_YOUR_CALM.code());
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(metrics()).contains(failures("Http2FrameFlood")));
    }

    @Test
    void endsAPingFloodWithEnhanceYourCalm() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxControlFramesPerWindow: 5}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            for (int i = 0; i < 8; i++) {
                raw.frame(RawH2.PING, 0, 0, new byte[8]);
            }

            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(new String(goAway.payload(), 8, goAway.payload().length - 8, StandardCharsets.US_ASCII))
                    .isEqualTo("too many SETTINGS and PING frames");
            assertThat(raw.closedByPeer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(metrics()).contains(failures("Http2FrameFlood")));
            keepRecord("Http2FrameFlood", "8 PING frames with maxControlFramesPerWindow: 5", goAway);
        }
    }

    @Test
    void endsARapidResetWithEnhanceYourCalm() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{maxResetsPerWindow: 5}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            for (int stream = 1; stream <= 21; stream += 2) {
                raw.headers(stream, RawH2.request("GET", "/hold"), true);
                raw.frame(RawH2.RST_STREAM, 0, stream, new byte[] {0, 0, 0, (byte) Http2Error.CANCEL.code()});
            }

            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.ENHANCE_YOUR_CALM.code());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(metrics()).contains(failures("Http2RapidReset")));
            keepRecord("Http2RapidReset", "11 streams each opened and reset at once with maxResetsPerWindow: 5", goAway);
        }
    }

    @Test
    void endsAStreamTheClientMayNotOpenWithAProtocolError() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            // Even stream ids belong to the server: a client that opens one breaks the protocol.
            raw.headers(2, RawH2.request("GET", "/echo"), true);

            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.PROTOCOL_ERROR.code());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(metrics()).contains(failures("Http2ProtocolError")));
            keepRecord("Http2ProtocolError", "HEADERS on stream 2, an even id only the server may open", goAway);
        }
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void keepsHttp11OnlyWhenHttp2IsOffOnTheListener() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{cleartext: false}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            // The preface reads as a request line of HTTP/2.0, a version an HTTP/1 connection does not serve.
            assertThat(raw.closedByPeer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(metrics()).contains(
                        "code=\"HttpVersionNotSupported\",protocol=\"h1\",site=\"-\",status=\"505\""));
    }

    @Test
    void drainsWithGoawayWhileAnOpenStreamFinishes() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}", "{}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            raw.headers(1, RawH2.request("GET", "/hold"), true);
            assertThat(origin.awaitHolding(5)).isTrue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::close);
            RawH2.Frame goAway = raw.await(RawH2.GOAWAY);
            origin.release();
            RawH2.Frame answer = raw.await(RawH2.HEADERS);

            assertThat(goAway.errorCode()).isEqualTo((int) Http2Error.NO_ERROR.code());
            assertThat(answer.stream()).isEqualTo(1);
            assertThat(raw.decode(answer).status().toString()).isEqualTo("200");
            stopping.get(10, TimeUnit.SECONDS);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void closesAConnectionWithoutStreamsAfterTheKeepAliveTimeout() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}", "{keepAliveTimeout: 500ms}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            raw.headers(1, RawH2.request("GET", "/echo"), true);
            assertThat(raw.await(RawH2.HEADERS).stream()).isEqualTo(1);

            assertThat(raw.await(RawH2.GOAWAY).errorCode()).isEqualTo((int) Http2Error.NO_ERROR.code());
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void endsOnlyTheStreamAClientResets() throws Exception {
        origin = new TestOrigin();
        start(origin.port(), "{}", "{}");
        try (RawH2 raw = new RawH2(gateway.port())) {
            raw.headers(1, RawH2.request("GET", "/hold"), true);
            assertThat(origin.awaitHolding(5)).isTrue();
            raw.frame(RawH2.RST_STREAM, 0, 1, new byte[] {0, 0, 0, (byte) Http2Error.CANCEL.code()});
            raw.headers(3, RawH2.request("GET", "/echo"), true);

            RawH2.Frame answer = raw.await(RawH2.HEADERS);
            assertThat(answer.stream()).isEqualTo(3);
            assertThat(raw.decode(answer).status().toString()).isEqualTo("200");
            origin.release();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(metrics())
                .contains("telltale_requests_total{code=\"-\",protocol=\"h2\",site=\"www\",status=\"200\"} 1.0"));
    }

    @Test
    void answersCurlByAlpnAndWithPriorKnowledgeWhereCurlIsInstalled() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        origin = new TestOrigin();
        LabPki pki = LabPki.create(Clock.systemUTC());
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        pki.leaf("www.test").writePem(cert, key);
        Path root = pki.writeRootPem(dir.resolve("root.pem"));
        gateway = GatewayFixture.start("""
                server: {httpPort: 0, httpsPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(cert, key, origin.port()));
        int https = gateway.server().httpsPort();

        String overTls = curl("--http2", "--cacert", root.toString(), "--resolve", "www.test:" + https + ":127.0.0.1",
                "https://www.test:" + https + "/echo/tls");
        String cleartext = curl("--http2-prior-knowledge", "-H", "Host: www.test",
                "http://127.0.0.1:" + gateway.port() + "/echo/h2c");

        assertThat(overTls).startsWith("HTTP/2 200").contains("\nx-cache: Miss from gateway", "GET /echo/tls\n");
        assertThat(cleartext).startsWith("HTTP/2 200").contains("GET /echo/h2c\n");
    }

    private static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "10", "-D", "-"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return output.replace("\r\n", "\n");
    }
}
