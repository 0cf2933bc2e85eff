package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same lab TLS origins (certificates made at test time) pass one CDN profile and fail another, as the CDNs
 * themselves disagree: chain order, TLS 1.3 only, a self-signed certificate.
 */
class ProfileTlsVerdictTest {
    private static final List<TlsFault> FAULTS = List.of(TlsFault.NONE, TlsFault.OUT_OF_ORDER, TlsFault.TLS13_ONLY,
            TlsFault.SELF_SIGNED);

    @TempDir
    static Path dir;

    private static final Map<TlsFault, TlsOrigin> ORIGINS = new EnumMap<>(TlsFault.class);
    private static String caBundle;
    private static LabDnsServer dns;

    @BeforeAll
    static void start() throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        StringBuilder zone = new StringBuilder("""
                $ORIGIN tls.test.
                $TTL 300
                @ 3600 IN SOA ns.tls.test. hostmaster.tls.test. 1 3600 600 86400 60
                @      IN NS  ns
                ns     IN A   127.0.0.1
                """);
        for (TlsFault fault : FAULTS) {
            ORIGINS.put(fault, new TlsOrigin(pki, fault, host(fault)).start());
            zone.append(label(fault)).append(" IN A 127.0.0.1\n");
        }
        dns = LabDnsServer.builder().zone(zone.toString()).start();
    }

    @AfterAll
    static void stop() {
        ORIGINS.values().forEach(TlsOrigin::close);
        dns.close();
    }

    private static String label(TlsFault fault) {
        return fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String host(TlsFault fault) {
        return label(fault) + ".tls.test";
    }

    /** Starts a gateway whose sites, one per lab origin, are named and reached by the origin's own name. */
    private static GatewayFixture gateway(String profile) throws InterruptedException {
        StringBuilder sites = new StringBuilder();
        for (TlsFault fault : FAULTS) {
            sites.append("""
                    - name: %s
                      hosts: [%s]
                      profile: %s
                      detail: full
                      cache: {errorTtl: 0s}
                      allowedOriginNetworks: [127.0.0.0/8]
                      origins:
                        - host: %s
                          protocol: https-only
                          httpsPort: %d
                          caBundle: %s
                          tlsHandshakeTimeout: 3s
                    """.formatted(label(fault), host(fault), profile, host(fault), ORIGINS.get(fault).port(), caBundle));
        }
        return GatewayFixture.start("""
                server: {bindAddress: 127.0.0.1, httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: ["%s"], queryTimeout: 500ms, attempts: 1}
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    private static RawHttp.Response get(GatewayFixture gateway, TlsFault fault) throws IOException {
        return GatewayErrors.problemGet(gateway.port(), host(fault), "/");
    }

    @Test
    void cloudfrontRefusesAnOutOfOrderChainAndATls13OnlyOrigin() throws Exception {
        try (GatewayFixture gateway = gateway("cloudfront")) {
            assertThat(get(gateway, TlsFault.NONE).status()).isEqualTo(200);
            RawHttp.Response outOfOrder = get(gateway, TlsFault.OUT_OF_ORDER);
            assertThat(outOfOrder.status()).isEqualTo(502);
            assertThat(outOfOrder.header("X-Cache")).isEqualTo("Error from cloudfront");
            assertThat(outOfOrder.header("X-Gateway-Error-Code")).isEqualTo("OriginSslChainOutOfOrder");
            assertThat(outOfOrder.header("X-Telltale-Cdn-Error")).isNull();
            RawHttp.Response tls13 = get(gateway, TlsFault.TLS13_ONLY);
            assertThat(tls13.status()).isEqualTo(502);
            assertThat(tls13.header("X-Gateway-Error-Code")).isEqualTo("OriginSslHandshakeFailed");
        }
    }

    @Test
    void cloudflareFullAcceptsWhatCloudfrontRefusesAndASelfSignedCertificate() throws Exception {
        try (GatewayFixture gateway = gateway("cloudflare-full")) {
            for (TlsFault fault : FAULTS) {
                RawHttp.Response response = get(gateway, fault);
                assertThat(response.status()).as(fault.name()).isEqualTo(200);
                assertThat(response.bodyText()).contains("(" + fault.name() + ")");
            }
        }
    }

    @Test
    void cloudflareStrictAnswers526ForTheSelfSignedCertificateThatFullAccepts() throws Exception {
        try (GatewayFixture gateway = gateway("cloudflare-strict")) {
            assertThat(get(gateway, TlsFault.TLS13_ONLY).status()).isEqualTo(200);
            RawHttp.Response selfSigned = get(gateway, TlsFault.SELF_SIGNED);
            assertThat(selfSigned.status()).isEqualTo(526);
            assertThat(selfSigned.header("X-Telltale-Cdn-Error")).isEqualTo("526");
            assertThat(selfSigned.header("X-Gateway-Error-Code")).isEqualTo("OriginSslSelfSignedCertificate");
            assertThat(selfSigned.header("Proxy-Status")).contains("error=tls_certificate_error");
        }
    }
}
