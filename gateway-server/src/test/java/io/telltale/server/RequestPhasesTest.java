package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the rebuilt request path promises end to end: one origin request shape, interim responses relayed. */
class RequestPhasesTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                limits: {maxBodySize: 1KiB}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {collapseTimeout: 30s}
                    rules:
                      viewerRequest:
                        - name: edge-host
                          header: X-Edge-Host
                          value: "${request.host}"
                        - name: no-cookies
                          header: Cookie
                          action: remove
                    origins: [{host: 127.0.0.1, httpPort: %d, connectTimeout: 2s, responseTimeout: 5s}]
                """.formatted(origin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response get(String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\nUser-Agent: phases/1\r\n"
                    + "Cookie: session=1\r\nAccept-Language: de\r\n\r\n").read();
        }
    }

    /** Returns the headers an origin request carried, without the request id that differs by design. */
    private static Map<String, List<String>> shape(TestOrigin.Request request) {
        Map<String, List<String>> headers = new TreeMap<>(request.headers());
        assertThat(headers.remove("x-request-id")).hasSize(1);
        return headers;
    }

    @Test
    void aBackgroundRevalidationSendsExactlyTheRequestAForegroundRevalidationSends() throws IOException {
        origin.cacheControl("max-age=0");
        get("/cacheable/same");
        origin.cacheControl("max-age=0, stale-while-revalidate=600");
        RawHttp.Response foreground = get("/cacheable/same");
        RawHttp.Response stale = get("/cacheable/same");

        assertThat(foreground.header("Cache-Status")).contains("fwd=stale");
        assertThat(stale.header("Cache-Status")).contains("detail=stale-while-revalidate");
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests().size() == 3);
        TestOrigin.Request inForeground = origin.requests().get(1);
        TestOrigin.Request inBackground = origin.requests().get(2);
        assertThat(inBackground.method()).isEqualTo(inForeground.method()).isEqualTo("GET");
        assertThat(inBackground.target()).isEqualTo(inForeground.target());
        assertThat(shape(inBackground)).isEqualTo(shape(inForeground));
        assertThat(inBackground.header("x-edge-host")).isEqualTo("www.test");
        assertThat(inBackground.header("cookie")).isNull();
        assertThat(inBackground.header("if-none-match")).isEqualTo("\"same\"");
        assertThat(inBackground.header("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(inBackground.header("via")).isNotNull();
    }

    @Test
    void anUploadRefusedMidwayLeavesNoCacheFillBehind() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("GET /cacheable/upload HTTP/1.1\r\nHost: www.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "800\r\n" + "x".repeat(0x800) + "\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        try (RawHttp client = gateway.client()) {
            // A fill left behind would hold this request for the site's 30 s collapse timeout.
            client.timeout(10_000);
            RawHttp.Response miss = client.send("GET /cacheable/upload HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            RawHttp.Response hit = client.send("GET /cacheable/upload HTTP/1.1\r\nHost: www.test\r\n\r\n").read();

            assertThat(miss.status()).isEqualTo(200);
            assertThat(miss.header("X-Cache")).isEqualTo("Miss from gateway");
            assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        }
    }

    @Test
    void relaysEarlyHintsToAnHttp11ClientBeforeTheFinalResponse() throws IOException {
        origin.respondRaw("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        try (RawHttp client = gateway.client()) {
            client.send("GET /raw HTTP/1.1\r\nHost: www.test\r\n\r\n");
            RawHttp.Response hints = client.read();
            RawHttp.Response response = client.read();

            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload");
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        }
    }

    @Test
    void sendsNoInterimResponseToAnHttp10Client() throws IOException {
        origin.respondRaw("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /raw HTTP/1.0\r\nHost: www.test\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ok");
        }
    }
}
