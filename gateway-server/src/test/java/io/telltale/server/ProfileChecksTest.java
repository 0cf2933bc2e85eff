package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks 5, 10 and 16 of the research note made real per profile on loopback: a name that does not exist, a connect
 * that is never answered (at Fastly's own 1 s), and plain HTTP on the port the profile speaks TLS to.
 */
class ProfileChecksTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @             IN NS  ns
            ns            IN A   127.0.0.1
            origin        IN A   127.0.0.1
            """;
    private static final List<String> PROFILES = List.of("cloudfront", "cloudflare-full", "fastly", "akamai");

    private static LabDnsServer dns;
    private static BrokenOrigin plain;
    private static BrokenOrigin blackhole;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        plain = BrokenOrigin.start(OriginFault.HEALTHY);
        blackhole = BrokenOrigin.start(OriginFault.BLACKHOLE);
        StringBuilder sites = new StringBuilder();
        for (String profile : PROFILES) {
            sites.append(site("nxdomain", profile, "{host: missing.example.test}"));
            sites.append(site("plain", profile, "{host: origin.example.test, protocol: https-only, httpsPort: "
                    + plain.port() + ", tlsHandshakeTimeout: 2s}"));
        }
        sites.append(site("blackhole", "fastly", "{host: origin.example.test, httpPort: " + blackhole.port() + "}"));
        gateway = GatewayFixture.start("""
                server: {bindAddress: 127.0.0.1, httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: ["%s"], queryTimeout: 2s, attempts: 2}
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    private static String site(String fault, String profile, String origin) {
        return """
                - name: %s-%s
                  hosts: [%s.%s.test]
                  profile: %s
                  detail: full
                  cache: {errorTtl: 0s}
                  allowedOriginNetworks: [127.0.0.0/8]
                  origins: [%s]
                """.formatted(fault, profile, fault, profile, profile, origin);
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        plain.close();
        blackhole.close();
        dns.close();
    }

    private static RawHttp.Response get(String fault, String profile) throws IOException {
        return GatewayErrors.problemGet(gateway.port(), fault + "." + profile + ".test", "/");
    }

    private static void assertAnswer(RawHttp.Response response, String profile, int status, String cdnError,
            String code) {
        assertThat(response.status()).as("%s %s: %s", profile, code, response.bodyText()).isEqualTo(status);
        assertThat(response.header("X-Telltale-Profile")).isEqualTo(profile);
        assertThat(response.header("X-Telltale-Cdn-Error")).isEqualTo(cdnError);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(response.header("Proxy-Status")).startsWith("telltale; error=");
    }

    @Test
    void aNameThatDoesNotExistIsEachCdnsDnsError() throws IOException {
        RawHttp.Response cloudfront = get("nxdomain", "cloudfront");
        assertAnswer(cloudfront, "cloudfront", 502, "OriginDnsError", "NonS3OriginDnsError");
        assertThat(cloudfront.header("X-Cache")).isEqualTo("Error from cloudfront");
        assertAnswer(get("nxdomain", "cloudflare-full"), "cloudflare-full", 530, "1016", "NonS3OriginDnsError");
        assertAnswer(get("nxdomain", "fastly"), "fastly", 503, null, "NonS3OriginDnsError");
        assertAnswer(get("nxdomain", "akamai"), "akamai", 502, "ERR_DNS_FAIL", "NonS3OriginDnsError");
    }

    @Test
    void plainHttpOnTheTlsPortIsEachCdnsHandshakeFailure() throws IOException {
        assertAnswer(get("plain", "cloudfront"), "cloudfront", 502, null, "OriginSslHandshakeFailed");
        assertAnswer(get("plain", "cloudflare-full"), "cloudflare-full", 525, "525", "OriginSslHandshakeFailed");
        assertAnswer(get("plain", "fastly"), "fastly", 503, null, "OriginSslHandshakeFailed");
        assertAnswer(get("plain", "akamai"), "akamai", 502, "ERR_FWD_SSL_HANDSHAKE", "OriginSslHandshakeFailed");
    }

    @Test
    void fastlyGivesUpOnAnUnansweredConnectAfterItsOwnSecond() throws IOException {
        long started = System.nanoTime();
        RawHttp.Response response = get("blackhole", "fastly");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertAnswer(response, "fastly", 503, null, "OriginConnectTimeout");
        assertThat(millis).as("Fastly's connect_timeout is 1 s [F1 F2]; Telltale's own is 10 s").isBetween(900L, 9_000L);
    }
}
