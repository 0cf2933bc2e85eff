package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One real origin per failure class on loopback, reached under each CDN profile: the visitor gets that CDN's status
 * and words, and still Telltale's code and Proxy-Status.
 */
class ProfileAnswerTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @             IN NS  ns
            ns            IN A   127.0.0.1
            origin        IN A   127.0.0.1
            """;
    private static final List<String> PROFILES = List.of("telltale", "cloudfront", "cloudflare-strict", "fastly",
            "akamai");
    private static final List<OriginFault> FAULTS = List.of(OriginFault.REFUSED, OriginFault.SILENT,
            OriginFault.GARBAGE_STATUS);

    private static LabDnsServer dns;
    private static final Map<OriginFault, BrokenOrigin> ORIGINS = new EnumMap<>(OriginFault.class);
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        StringBuilder sites = new StringBuilder();
        for (OriginFault fault : FAULTS) {
            BrokenOrigin origin = BrokenOrigin.start(fault);
            ORIGINS.put(fault, origin);
            for (String profile : PROFILES) {
                sites.append("""
                        - name: %s-%s
                          hosts: [%s.%s.test]
                          profile: %s
                          detail: full
                          cache: {errorTtl: 0s}
                          allowedOriginNetworks: [127.0.0.0/8]
                          origins:
                            - host: origin.example.test
                              httpPort: %d
                              connectTimeout: 300ms
                              responseTimeout: 300ms
                        """.formatted(profile, label(fault), label(fault), profile,
                        profile, origin.port()));
            }
        }
        gateway = GatewayFixture.start("""
                server: {bindAddress: 127.0.0.1, httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: ["%s"], queryTimeout: 2s, attempts: 2}
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        for (BrokenOrigin origin : ORIGINS.values()) {
            origin.close();
        }
        dns.close();
    }

    private static String label(OriginFault fault) {
        return fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static RawHttp.Response get(OriginFault fault, String profile) throws IOException {
        return GatewayErrors.problemGet(gateway.port(), label(fault) + "." + profile + ".test", "/");
    }

    private static void assertAnswer(RawHttp.Response response, String profile, int status, String xCache,
            String cdnError, String code) {
        assertThat(response.status()).as("%s %s", profile, code).isEqualTo(status);
        assertThat(response.header("X-Cache")).isEqualTo(xCache);
        assertThat(response.header("X-Telltale-Profile")).isEqualTo(profile);
        assertThat(response.header("X-Telltale-Cdn-Error")).isEqualTo(cdnError);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(response.header("Proxy-Status")).startsWith("telltale; error=");
        assertThat(response.bodyText()).contains("\"code\":\"" + code + "\"");
    }

    @Test
    void telltalesOwnProfileAnswersAsTheCatalogueSays() throws IOException {
        RawHttp.Response refused = get(OriginFault.REFUSED, "telltale");

        GatewayErrors.assertGatewayError(refused, 521, "OriginConnectionRefused");
        assertThat(refused.header("X-Telltale-Profile")).isNull();
    }

    @Test
    void cloudfrontAnswers502Or504WithItsDetailedResultTypeAndRetriesAGetThreeTimes() throws IOException {
        assertAnswer(get(OriginFault.REFUSED, "cloudfront"), "cloudfront", 502, "Error from cloudfront",
                "OriginConnectError", "OriginConnectionRefused");
        int before = ORIGINS.get(OriginFault.SILENT).receivedRequests();
        assertAnswer(get(OriginFault.SILENT, "cloudfront"), "cloudfront", 504, "Error from cloudfront",
                "OriginCommError", "OriginResponseTimeout");
        assertThat(ORIGINS.get(OriginFault.SILENT).receivedRequests() - before).isEqualTo(3);
        assertAnswer(get(OriginFault.GARBAGE_STATUS, "cloudfront"), "cloudfront", 502, "Error from cloudfront",
                "OriginInvalidResponseError", "OriginInvalidResponse");
    }

    @Test
    void cloudflareAnswersItsFiveTwentiesAndSendsTheRequestOnce() throws IOException {
        assertAnswer(get(OriginFault.REFUSED, "cloudflare-strict"), "cloudflare-strict", 521, "Error from gateway",
                "521", "OriginConnectionRefused");
        int before = ORIGINS.get(OriginFault.SILENT).receivedRequests();
        assertAnswer(get(OriginFault.SILENT, "cloudflare-strict"), "cloudflare-strict", 524, "Error from gateway",
                "524", "OriginResponseTimeout");
        assertThat(ORIGINS.get(OriginFault.SILENT).receivedRequests() - before).isEqualTo(1);
        assertAnswer(get(OriginFault.GARBAGE_STATUS, "cloudflare-strict"), "cloudflare-strict", 520,
                "Error from gateway", "520", "OriginInvalidResponse");
    }

    @Test
    void fastlyAnswers503WithItsReason() throws IOException {
        assertAnswer(get(OriginFault.SILENT, "fastly"), "fastly", 503, "Error from gateway", "first byte timeout",
                "OriginResponseTimeout");
        assertAnswer(get(OriginFault.GARBAGE_STATUS, "fastly"), "fastly", 503, "Error from gateway",
                "backend read error", "OriginInvalidResponse");
    }

    @Test
    void akamaiAnswersItsErrNameAndKeepsTelltalesStatusWhereItsOwnIsUnknown() throws IOException {
        assertAnswer(get(OriginFault.SILENT, "akamai"), "akamai", 504, "Error from gateway", "ERR_READ_TIMEOUT",
                "OriginResponseTimeout");
        assertAnswer(get(OriginFault.REFUSED, "akamai"), "akamai", 521, "Error from gateway", "ERR_CONNECT_FAIL",
                "OriginConnectionRefused");
    }
}
