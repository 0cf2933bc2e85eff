package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real requests through the gateway under each CDN profile, to an origin that records what it received: the headers
 * that CDN adds, sets and strips, and the request limits it enforces before the origin is asked.
 */
class ProfileRequestTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @             IN NS  ns
            ns            IN A   127.0.0.1
            origin        IN A   127.0.0.1
            """;
    private static final List<String> PROFILES = List.of("telltale", "cloudfront", "cloudflare-full", "fastly",
            "akamai");
    private static final String VISITOR_HEADERS = "Cookie: session=1\r\nAccept: text/html\r\nReferer: https://a.test/\r\n"
            + "X-Real-IP: 192.0.2.9\r\nX-Edge-Secret: 1\r\nX-Forwarded-Proto: https\r\nUser-Agent: curl/8\r\n"
            + "Accept-Encoding: gzip, deflate, zstd\r\n";

    private static LabDnsServer dns;
    private static TestOrigin origin;
    private static BrokenOrigin refusing;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        origin = new TestOrigin();
        refusing = BrokenOrigin.start(OriginFault.REFUSED);
        StringBuilder sites = new StringBuilder("""
                - name: cloudfront-down
                  hosts: [cloudfront-down.test]
                  profile: cloudfront
                  allowedOriginNetworks: [127.0.0.0/8]
                  origins: [{host: origin.example.test, httpPort: %d, connectAttempts: 1}]
                """.formatted(refusing.port()));
        for (String profile : PROFILES) {
            sites.append("""
                    - name: %s
                      hosts: [%s.test]
                      profile: %s
                      detail: full
                      allowedOriginNetworks: [127.0.0.0/8]
                      origins: [{host: origin.example.test, httpPort: %d}]
                    """.formatted(profile, profile, profile, origin.port()));
        }
        gateway = GatewayFixture.start("""
                server: {bindAddress: 127.0.0.1, httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: ["%s"], queryTimeout: 2s, attempts: 2}
                limits: {maxRequestLine: 64KiB, maxHeaderSize: 128KiB, maxHeaderFields: 400}
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        origin.close();
        refusing.close();
        dns.close();
    }

    /** Sends a GET for the profile's site and returns the response and the request the origin received. */
    private static Exchange send(String profile, String path, String headers) throws IOException {
        int before = origin.requests().size();
        RawHttp.Response response = GatewayErrors.get(gateway.port(), profile + ".test", path, headers);
        List<TestOrigin.Request> received = origin.requests();
        return new Exchange(response, received.size() > before ? received.get(received.size() - 1) : null);
    }

    private record Exchange(RawHttp.Response response, TestOrigin.Request atOrigin) {
    }

    @Test
    void cloudfrontSetsItsUserAgentAndRequestIdAndStripsWhatItsLegacySettingsStrip() throws IOException {
        Exchange x = send("cloudfront", "/echo", VISITOR_HEADERS);

        assertThat(x.response().status()).isEqualTo(200);
        TestOrigin.Request r = x.atOrigin();
        assertThat(r.header("User-Agent")).isEqualTo("Amazon CloudFront");
        assertThat(r.header("X-Amz-Cf-Id")).isEqualTo("telltale-" + x.response().header("X-Request-Id"));
        assertThat(r.header("Host")).isEqualTo("origin.example.test:" + origin.port());
        assertThat(r.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        for (String gone : List.of("Cookie", "Accept", "Referer", "X-Real-IP", "X-Edge-Secret", "X-Forwarded-Proto")) {
            assertThat(r.header(gone)).as(gone).isNull();
        }
        assertThat(r.header("Accept-Encoding")).isEqualTo("gzip, deflate, zstd");
    }

    @Test
    void theVisitorsOwnHeadersStillChooseTheErrorsFormatAfterCloudfrontStripsAcceptTowardTheOrigin()
            throws IOException {
        try (RawHttp client = new RawHttp(gateway.port())) {
            RawHttp.Response response = client.send("POST / HTTP/1.1\r\nHost: cloudfront-down.test\r\n"
                    + "Accept: application/problem+json\r\nContent-Length: 0\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("X-Telltale-Cdn-Error")).isEqualTo("OriginConnectError");
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void cloudflareAddsItsVisitorHeadersAndRayKeepsHostAndCookie() throws IOException {
        Exchange x = send("cloudflare-full", "/echo", VISITOR_HEADERS);

        TestOrigin.Request r = x.atOrigin();
        assertThat(r.header("CF-Connecting-IP")).isEqualTo("127.0.0.1");
        assertThat(r.header("CF-RAY")).isEqualTo(x.response().header("X-Request-Id") + "-TELLTALE");
        assertThat(r.header("CF-Visitor")).isEqualTo("{\"scheme\":\"http\"}");
        assertThat(r.header("X-Forwarded-Proto")).as("the scheme toward the origin").isEqualTo("http");
        assertThat(r.headers().get("cdn-loop")).contains("cloudflare").anyMatch(v -> v.startsWith("telltale"));
        assertThat(r.header("Accept-Encoding")).as("the visitor does not accept br").isEqualTo("gzip, deflate, zstd");
        assertThat(r.header("X-Real-IP")).isNull();
        assertThat(r.header("Host")).isEqualTo("cloudflare-full.test");
        assertThat(r.header("Cookie")).isEqualTo("session=1");
        assertThat(r.header("User-Agent")).isEqualTo("curl/8");
    }

    @Test
    void cloudflareAsksTheOriginForBrAndGzipOnlyWhereTheVisitorAcceptsBoth() throws IOException {
        TestOrigin.Request both = send("cloudflare-full", "/echo", "Accept-Encoding: gzip, br, zstd\r\n").atOrigin();
        TestOrigin.Request none = send("cloudflare-full", "/echo", "").atOrigin();

        assertThat(both.header("Accept-Encoding")).isEqualTo("br, gzip");
        assertThat(none.header("Accept-Encoding")).as("the gateway re-encodes nothing for the visitor").isNull();
    }

    @Test
    void fastlyAddsItsForwardingMarkAndLoopToken() throws IOException {
        Exchange x = send("fastly", "/echo", VISITOR_HEADERS);

        TestOrigin.Request r = x.atOrigin();
        assertThat(r.header("Fastly-FF")).isEqualTo(x.response().header("X-Request-Id") + "!TELLTALE!telltale");
        assertThat(r.headers().get("cdn-loop")).contains("Fastly");
        assertThat(r.header("Cookie")).isEqualTo("session=1");
        assertThat(r.header("Fastly-Client-IP")).as("undocumented, so not invented").isNull();
    }

    @Test
    void akamaiAddsTrueClientIp() throws IOException {
        TestOrigin.Request r = send("akamai", "/echo", VISITOR_HEADERS).atOrigin();

        assertThat(r.header("True-Client-IP")).isEqualTo("127.0.0.1");
        assertThat(r.header("X-Real-IP")).isEqualTo("192.0.2.9");
    }

    @Test
    void telltalesOwnProfileChangesNothing() throws IOException {
        TestOrigin.Request r = send("telltale", "/echo", VISITOR_HEADERS).atOrigin();

        assertThat(r.header("Cookie")).isEqualTo("session=1");
        assertThat(r.header("User-Agent")).isEqualTo("curl/8");
        assertThat(r.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(r.header("Accept-Encoding")).isEqualTo("gzip, deflate, zstd");
        for (String absent : List.of("X-Amz-Cf-Id", "CF-RAY", "CF-Connecting-IP", "Fastly-FF", "True-Client-IP")) {
            assertThat(r.header(absent)).as(absent).isNull();
        }
    }

    @Test
    void cloudfrontRefusesAUrlOver8192BytesWith413BeforeTheOrigin() throws IOException {
        Exchange x = send("cloudfront", "/echo?" + "q".repeat(8_200), "Accept: application/problem+json\r\n");

        assertThat(x.atOrigin()).isNull();
        assertLimit(x.response(), 413, "cloudfront", null, "RequestUriTooLong", "uri", 8_192);
        assertThat(x.response().header("X-Cache")).isEqualTo("Error from cloudfront");
    }

    @Test
    void cloudfrontRefusesARequestHeadOver20480BytesWith413() throws IOException {
        Exchange x = send("cloudfront", "/echo", "Accept: application/problem+json\r\nX-Big: " + "b".repeat(20_480)
                + "\r\n");

        assertThat(x.atOrigin()).isNull();
        assertLimit(x.response(), 413, "cloudfront", null, "RequestHeaderTooLarge", "head", 20_480);
    }

    @Test
    void aRequestJustUnderCloudfrontsLimitReachesTheOrigin() throws IOException {
        Exchange x = send("cloudfront", "/echo", "X-Big: " + "b".repeat(19_000) + "\r\n");

        assertThat(x.response().status()).isEqualTo(200);
        assertThat(x.atOrigin().header("X-Big")).hasSize(19_000);
    }

    @Test
    void cloudflareRefusesAHeaderLineOver16KiBWithTelltalesStatusSinceItsOwnIsUndocumented() throws IOException {
        Exchange x = send("cloudflare-full", "/echo", "Accept: application/problem+json\r\nX-Big: "
                + "b".repeat(16_400) + "\r\n");

        assertThat(x.atOrigin()).isNull();
        assertLimit(x.response(), 431, "cloudflare-full", null, "RequestHeaderTooLarge", "field", 16_384);
    }

    @Test
    void cloudflareAnswers414ForAUrlOver32KiB() throws IOException {
        Exchange x = send("cloudflare-full", "/echo?" + "q".repeat(33_000), "Accept: application/problem+json\r\n");

        assertLimit(x.response(), 414, "cloudflare-full", "414", "RequestUriTooLong", "uri", 32_768);
    }

    @Test
    void fastlyRefusesMoreThan255HeaderFieldsAsHeaderOverflow() throws IOException {
        StringBuilder many = new StringBuilder("Accept: application/problem+json\r\n");
        for (int i = 0; i < 260; i++) {
            many.append("X-F").append(i).append(": v\r\n");
        }
        Exchange x = send("fastly", "/echo", many.toString());

        assertThat(x.atOrigin()).isNull();
        assertLimit(x.response(), 431, "fastly", "Header overflow", "RequestHeaderTooLarge", "fields", 255);
    }

    private static void assertLimit(RawHttp.Response response, int status, String profile, String cdnError,
            String code, String limit, int max) throws IOException {
        assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(response.header("X-Telltale-Profile")).isEqualTo(profile);
        assertThat(response.header("X-Telltale-Cdn-Error")).isEqualTo(cdnError);
        assertThat(response.header("Proxy-Status")).startsWith("telltale; error=http_request_error");
        // The explaining body stays Telltale's own, status included; the status line is the CDN's.
        Map<String, Object> problem = GatewayErrors.json(response.bodyText());
        assertThat(problem).containsEntry("code", code);
        Map<String, Object> evidence = GatewayErrors.evidence(problem);
        assertThat(evidence).containsEntry("profile", profile).containsEntry("limit", limit).containsEntry("max", max);
        assertThat(((Number) evidence.get("size")).longValue()).isGreaterThan(max);
    }
}
