package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.param;
import static io.telltale.server.GatewayErrors.problem;
import static io.telltale.server.GatewayErrors.problemGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.failure.Moments;
import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS causes beyond the leaf's dates, each made by a lab TLS origin with a certificate made at test time: an
 * expired intermediate, a certificate for the wrong purpose, a weak key, a SHA-1 signature, and an origin
 * configured as an IP address (no SNI can be sent; the certificate names a DNS name).
 */
class TlsCauseTest {
    private static final List<TlsFault> FAULTS = List.of(TlsFault.NONE, TlsFault.EXPIRED, TlsFault.EXPIRED_INTERMEDIATE,
            TlsFault.CLIENT_AUTH_ONLY, TlsFault.WEAK_KEY, TlsFault.SHA1_SIGNATURE, TlsFault.SNI_REQUIRED);

    /** The codes this test is the example of in docs/errors.md. */
    private static final List<String> NEW_CODES =
            List.of("OriginSslCertificateWrongPurpose", "OriginSslWeakKey", "OriginSslWeakSignature");

    @TempDir
    static Path dir;

    private static final Map<TlsFault, TlsOrigin> ORIGINS = new EnumMap<>(TlsFault.class);
    private static LabDnsServer dns;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        String caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        StringBuilder zone = new StringBuilder("""
                $ORIGIN tls.test.
                $TTL 300
                @ 3600 IN SOA ns.tls.test. hostmaster.tls.test. 1 3600 600 86400 60
                @      IN NS  ns
                ns     IN A   127.0.0.1
                """);
        StringBuilder sites = new StringBuilder();
        for (TlsFault fault : FAULTS) {
            ORIGINS.put(fault, new TlsOrigin(pki, fault, label(fault) + ".tls.test").start());
            zone.append(label(fault)).append(" IN A 127.0.0.1\n");
            sites.append(site(label(fault), label(fault) + ".tls.test", ORIGINS.get(fault).port(), caBundle));
        }
        sites.append(site("ip-no-sni", "127.0.0.1", ORIGINS.get(TlsFault.SNI_REQUIRED).port(), caBundle));
        sites.append(site("ip-mismatch", "127.0.0.1", ORIGINS.get(TlsFault.NONE).port(), caBundle));
        dns = LabDnsServer.builder().zone(zone.toString()).start();
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    private static String label(TlsFault fault) {
        return fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String site(String name, String host, int port, String caBundle) {
        return """
                - name: %s
                  hosts: [%s.site.test]
                  detail: full
                  cache: {errorTtl: 0s}
                  allowedOriginNetworks: [127.0.0.0/8]
                  origins:
                    - host: %s
                      protocol: https-only
                      httpsPort: %d
                      connectTimeout: 2s
                      tlsHandshakeTimeout: 3s
                      responseTimeout: 2s
                      caBundle: %s
                """.formatted(name, name, host, port, caBundle);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        ORIGINS.values().forEach(TlsOrigin::close);
        if (dns != null) {
            dns.close();
        }
    }

    /** What one failed request showed. */
    private record Seen(List<GatewayErrors.Param> params, Map<String, Object> problem, Map<String, Object> evidence,
                        String text) {
        String detail() {
            return (String) problem.get("detail");
        }

        List<String> remediation() {
            @SuppressWarnings("unchecked")
            List<String> steps = (List<String>) problem.get("remediation");
            return steps;
        }
    }

    private static Seen failed(String site, String code) throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), site + ".site.test", "/");
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, code);
        Map<String, Object> problem = problem(response);
        RawHttp.Response text = GatewayErrors.get(gateway.port(), site + ".site.test", "/", "Accept: text/plain\r\n");
        assertThat(text.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(problem.get("detail")).as("the detail is a sentence of its own, not the title")
                .isNotEqualTo(problem.get("title"));
        assertThat(text.bodyText()).contains("What happened: " + problem.get("detail"));
        if (NEW_CODES.contains(code)) {
            DocExamples.keep(code, text);
        }
        return new Seen(params, problem, evidence(problem), text.bodyText());
    }

    @Test
    void saysWhenAndHowLongAgoTheLeafExpired() throws IOException {
        Seen seen = failed("expired", "OriginSslCertificateExpired");

        Instant notAfter = Instant.parse((String) seen.evidence().get("notAfter"));
        assertThat(seen.detail()).isEqualTo("The certificate of expired.tls.test expired on " + Moments.at(notAfter)
                + ", 1 day ago.");
        assertThat(seen.evidence()).containsEntry("certificateRole", "leaf");
    }

    @Test
    void namesAnExpiredIntermediateAtItsChainPositionWithTheCurrentIntermediateAsTheFix() throws IOException {
        Seen seen = failed("expired-intermediate", "OriginSslCertificateExpired");

        assertThat(seen.evidence()).containsEntry("certificateIndex", 1).containsEntry("certificateRole", "intermediate")
                .containsEntry("certificate", "CN=Telltale Lab Old Intermediate CA,O=Telltale Lab");
        assertThat(seen.detail()).startsWith("The intermediate Telltale Lab Old Intermediate CA (chain position 1) expired on ")
                .endsWith(", 3 days ago.");
        assertThat(param(seen.params(), "details")).startsWith("intermediate at chain position 1 ");
        assertThat(seen.remediation()).anySatisfy(r -> assertThat(r).startsWith("Install the CA's current intermediate"));
    }

    @Test
    void givesACertificateForTheWrongPurposeItsOwnCode() throws IOException {
        Seen seen = failed("client-auth-only", "OriginSslCertificateWrongPurpose");

        assertThat(param(seen.params(), "error")).isEqualTo("tls_certificate_error");
        assertThat(seen.detail()).isEqualTo("The certificate of client-auth-only.tls.test is not issued for TLS server "
                + "authentication: its extended key usage lacks serverAuth.");
        assertThat(seen.problem()).containsEntry("edgeError", "526").containsEntry("phase", "tls");
    }

    @Test
    void givesAWeakKeyItsOwnCodeWithTheSizes() throws IOException {
        Seen seen = failed("weak-key", "OriginSslWeakKey");

        assertThat(seen.evidence()).containsEntry("key", "RSA 1024 bits").containsEntry("minimumKey", "RSA 2048 bits");
        assertThat(seen.detail()).isEqualTo("The certificate of weak-key.tls.test has a 1024-bit RSA key; the gateway "
                + "accepts RSA keys of 2048 bits or more.");
    }

    @Test
    void givesASha1SignatureItsOwnCode() throws IOException {
        Seen seen = failed("sha1-signature", "OriginSslWeakSignature");

        assertThat(seen.evidence()).containsEntry("signatureAlgorithm", "SHA1withECDSA");
        assertThat(seen.detail()).startsWith("The certificate of sha1-signature.tls.test is signed with SHA1withECDSA");
    }

    @Test
    void servesTheSniRequiringOriginWhenItsNameIsSent() throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), "sni-required.site.test", "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(ORIGINS.get(TlsFault.SNI_REQUIRED).requestedServerNames()).contains(List.of("sni-required.tls.test"));
    }

    @Test
    void saysNoSniCouldBeSentToAnIpAddressOriginThatNeedsANameAndThatTheFixIsTheHostName() throws IOException {
        Seen seen = failed("ip-no-sni", "OriginSslHandshakeFailed");

        assertThat(seen.params()).contains(new GatewayErrors.Param("alert-message", "unrecognized_name"));
        assertThat(seen.detail()).isEqualTo("The gateway connects to the IP address 127.0.0.1, so it could send no SNI "
                + "name, and the origin refused the handshake with alert unrecognized_name: it serves only clients that "
                + "name the site.");
        assertThat(seen.evidence()).containsEntry("sniSent", "none (IP literal)");
        assertThat(seen.text()).doesNotContain("SNI null").doesNotContain("sni null");
        assertThat(seen.remediation()).element(1).asString().startsWith("Set this origin's host to the site's DNS name");
    }

    @Test
    void suggestsTheDnsNameBeforeAnIpSanOnANameMismatchOfAnIpAddressOrigin() throws IOException {
        Seen seen = failed("ip-mismatch", "OriginSslCertificateNameMismatch");

        assertThat(seen.detail()).isEqualTo("The gateway connects to the IP address 127.0.0.1, which the origin's "
                + "certificate (for none.tls.test) does not list.");
        assertThat(seen.remediation()).element(1).asString()
                .isEqualTo("Set this origin's host to none.tls.test (a name the certificate covers) instead of the IP address.");
        assertThat(seen.problem().get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .last().asString().startsWith("An IP subjectAltName is the last resort");
    }
}
