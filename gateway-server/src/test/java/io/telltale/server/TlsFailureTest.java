package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static io.telltale.server.GatewayErrors.problemGet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.tls.LabCertificate;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way an HTTPS origin can fail the gateway's TLS, made to happen by a lab TLS origin on loopback. */
class TlsFailureTest {
    @TempDir
    static Path dir;

    private static final Map<TlsFault, TlsOrigin> ORIGINS = new EnumMap<>(TlsFault.class);
    private static LabPki pki;
    private static String caBundle;
    private static LabDnsServer dns;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        StringBuilder zone = new StringBuilder("""
                $ORIGIN tls.test.
                $TTL 300
                @ 3600 IN SOA ns.tls.test. hostmaster.tls.test. 1 3600 600 86400 60
                @      IN NS  ns
                ns     IN A   127.0.0.1
                """);
        for (TlsFault fault : TlsFault.values()) {
            ORIGINS.put(fault, new TlsOrigin(pki, fault, originHost(fault)).start());
            zone.append(label(fault)).append(" IN A 127.0.0.1\n");
        }
        dns = LabDnsServer.builder().zone(zone.toString()).start();
        List<String> sites = new ArrayList<>();
        for (TlsFault fault : TlsFault.values()) {
            sites.add(site(label(fault), fault, "caBundle: " + caBundle));
        }
        sites.add(site("lenient", TlsFault.OUT_OF_ORDER, "caBundle: " + caBundle + "\nchainOrder: lenient"));
        sites.add(site("tls13", TlsFault.TLS12_ONLY, "caBundle: " + caBundle + "\nminTlsVersion: TLSv1.3"));
        sites.add(site("aead", TlsFault.NO_SHARED_CIPHER, "caBundle: " + caBundle
                + "\nciphers: [TLS_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]"));
        // The same healthy origin, but trusting only the system store: the lab root is unknown to it.
        sites.add(site("system-trust", TlsFault.NONE, ""));
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
                %s""".formatted(dns.resolverLiteral(), String.join("", sites).indent(2)));
    }

    private static String label(TlsFault fault) {
        return fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String originHost(TlsFault fault) {
        return label(fault) + ".tls.test";
    }

    private static String site(String name, TlsFault fault, String extra) {
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
                      tlsHandshakeTimeout: %s
                      responseTimeout: 2s
                %s""".formatted(name, name, originHost(fault), ORIGINS.get(fault).port(),
                fault == TlsFault.SILENT ? "300ms" : "3s", extra.isEmpty() ? "" : extra.indent(6));
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

    /** What one failed request showed: its Proxy-Status parameters, its problem+json body and evidence. */
    private record Seen(List<GatewayErrors.Param> params, Map<String, Object> problem, Map<String, Object> evidence) {
        String param(String key) {
            return GatewayErrors.param(params, key);
        }
    }

    /** Requests the site, asserts a 502 with this code and the shape of Proxy-Status, and returns what it showed. */
    private static Seen tlsError(String site, TlsFault fault, String code, String error, String... alert)
            throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), site + ".site.test", "/");
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, code);
        Map<String, Object> problem = problem(response);
        List<String> keys = new ArrayList<>(List.of("error", "details"));
        keys.addAll(alert.length == 0 ? List.of() : List.of("alert-id", "alert-message"));
        keys.add("next-hop");
        assertThat(GatewayErrors.keys(params)).containsExactlyElementsOf(keys);
        Seen seen = new Seen(params, problem, evidence(problem));
        assertThat(seen.param("error")).isEqualTo(error);
        String nextHop = originHost(fault) + ":" + ORIGINS.get(fault).port();
        assertThat(seen.param("next-hop")).isEqualTo(nextHop);
        if (alert.length > 0) {
            assertThat(params).contains(new GatewayErrors.Param("alert-id", alert[0]),
                    new GatewayErrors.Param("alert-message", alert[1]));
        }
        assertThat(problem).containsEntry("phase", "tls")
                .containsEntry("edgeError", code.equals("OriginSslHandshakeFailed") ? "525" : "526")
                .containsEntry("origin", nextHop);
        assertThat(seen.evidence()).containsEntry("host", originHost(fault))
                .containsEntry("port", ORIGINS.get(fault).port());
        assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST).first().asString()
                .startsWith("openssl s_client -connect " + nextHop);
        return seen;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(Seen seen) {
        return (List<Map<String, Object>>) seen.evidence().get("chain");
    }

    @Test
    void proxiesToAHealthyOriginVerifiedAgainstTheCaBundle() throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), "none.site.test", "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok from lab TLS origin (NONE)\n");
        assertThat(ORIGINS.get(TlsFault.NONE).requestedServerNames()).contains(List.of("none.tls.test"));
    }

    @Test
    void namesAnExpiredCertificateWithItsNotAfter() throws IOException {
        Seen seen = tlsError("expired", TlsFault.EXPIRED, "OriginSslCertificateExpired", "tls_certificate_error");

        String notAfter = (String) seen.evidence().get("notAfter");
        assertThat(Instant.parse(notAfter)).isBefore(Instant.now());
        assertThat(seen.param("details")).contains("expired at " + notAfter);
        assertThat(seen.evidence()).containsEntry("certificateIndex", 0).containsEntry("sniSent", "expired.tls.test");
        assertThat(seen.evidence().get("certificate")).asString().contains("CN=expired.tls.test");
    }

    @Test
    void namesANotYetValidCertificateWithItsNotBefore() throws IOException {
        Seen seen = tlsError("not-yet-valid", TlsFault.NOT_YET_VALID, "OriginSslCertificateNotYetValid",
                "tls_certificate_error");

        String notBefore = (String) seen.evidence().get("notBefore");
        assertThat(Instant.parse(notBefore)).isAfter(Instant.now());
        assertThat(seen.param("details")).contains(notBefore);
    }

    @Test
    void namesTheExpectedAndPresentedNamesOnAMismatch() throws IOException {
        Seen seen = tlsError("wrong-host", TlsFault.WRONG_HOST, "OriginSslCertificateNameMismatch",
                "tls_certificate_error");

        assertThat(seen.evidence()).containsEntry("expectedName", "wrong-host.tls.test")
                .containsEntry("certificateCommonName", "not-wrong-host.tls.test")
                .containsEntry("certificateNames", List.of("not-wrong-host.tls.test"));
        assertThat(seen.param("details")).contains("wrong-host.tls.test").contains("not-wrong-host.tls.test");
    }

    @Test
    void namesASelfSignedCertificate() throws IOException {
        Seen seen = tlsError("self-signed", TlsFault.SELF_SIGNED, "OriginSslSelfSignedCertificate",
                "tls_certificate_error");

        assertThat(chain(seen)).singleElement().satisfies(c -> assertThat(c).containsEntry("selfSigned", true));
    }

    @Test
    void namesAnUntrustedRootBySubject() throws IOException {
        Seen seen = tlsError("untrusted-root", TlsFault.UNTRUSTED_ROOT, "OriginSslUntrustedRoot",
                "tls_certificate_error");

        assertThat(seen.evidence().get("untrustedRoot")).asString().contains("CN=Untrusted Lab Root CA");
        assertThat(chain(seen)).hasSize(3);
    }

    @Test
    void namesTheMissingIntermediateOfAnIncompleteChain() throws IOException {
        Seen seen = tlsError("incomplete-chain", TlsFault.INCOMPLETE_CHAIN, "OriginSslIncompleteChain",
                "tls_certificate_error");

        assertThat(seen.evidence().get("missingIssuer")).asString().contains("CN=Telltale Lab Intermediate CA");
        assertThat(seen.param("details")).contains("no AIA fetching");
        assertThat(chain(seen)).hasSize(1);
    }

    @Test
    void refusesAnOutOfOrderChainWhenStrict() throws IOException {
        Seen seen = tlsError("out-of-order", TlsFault.OUT_OF_ORDER, "OriginSslChainOutOfOrder", "tls_certificate_error");

        assertThat(seen.evidence().get("orderSent")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(3)
                .element(1).asString().contains("Root CA");
        assertThat(seen.param("details")).startsWith("chain out of order: sent ");
    }

    @Test
    void acceptsAnOutOfOrderChainWhenLenient() throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), "lenient.site.test", "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok from lab TLS origin (OUT_OF_ORDER)\n");
    }

    @Test
    void neverReusesAConnectionVerifiedUnderAnotherSitesLenientPolicy() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response lenient = client.send("GET / HTTP/1.1\r\nHost: lenient.site.test\r\n\r\n").read();
            assertThat(lenient.status()).isEqualTo(200);

            // Same origin address and SNI name, on the same event loop: the pooled connection is not this site's.
            RawHttp.Response strict = client.send("GET / HTTP/1.1\r\nHost: out-of-order.site.test\r\n\r\n").read();
            assertThat(strict.status()).isEqualTo(502);
            assertThat(strict.header("X-Gateway-Error-Code")).isEqualTo("OriginSslChainOutOfOrder");
        }
    }

    @Test
    void neverReusesAConnectionVerifiedAgainstAnotherSitesCaBundle() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response trusting = client.send("GET / HTTP/1.1\r\nHost: none.site.test\r\n\r\n").read();
            assertThat(trusting.status()).isEqualTo(200);

            RawHttp.Response systemTrust = client.send("GET / HTTP/1.1\r\nHost: system-trust.site.test\r\n"
                    + "Accept: application/problem+json\r\n\r\n").read();
            assertThat(systemTrust.status()).as(systemTrust.bodyText()).isEqualTo(502);
            // The system store does not know the lab root, which the origin (rightly) does not send.
            assertThat(systemTrust.header("X-Gateway-Error-Code")).isEqualTo("OriginSslIncompleteChain");
            assertThat(evidence(problem(systemTrust))).containsEntry("missingIssuer", "CN=Telltale Lab Root CA,O=Telltale Lab");
        }
    }

    @Test
    void namesTheProtocolVersionAlertWhenNoVersionIsShared() throws IOException {
        Seen seen = tlsError("tls13", TlsFault.TLS12_ONLY, "OriginSslHandshakeFailed", "tls_alert_received",
                "70", "protocol_version");

        assertThat(seen.evidence()).containsEntry("offeredProtocols", List.of("TLSv1.3"))
                .containsEntry("alertReceived", "protocol_version (70)");
        assertThat(seen.param("details")).isEqualTo("no shared protocol: the gateway offered [TLSv1.3] and the origin "
                + "refused them with alert protocol_version");
        assertThat(seen.problem().get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .anySatisfy(r -> assertThat(r).asString().contains("minTlsVersion: TLSv1.2"));
    }

    @Test
    void namesTheHandshakeFailureAlertWhenNoCipherIsShared() throws IOException {
        Seen seen = tlsError("aead", TlsFault.NO_SHARED_CIPHER, "OriginSslHandshakeFailed", "tls_alert_received",
                "40", "handshake_failure");

        assertThat(seen.evidence().get("offeredCiphers")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(seen.problem().get("detail")).asString().contains("no cipher suite");
    }

    @Test
    void showsTheFirstBytesWhenThePortSpeaksPlainHttp() throws IOException {
        Seen seen = tlsError("plain-http", TlsFault.PLAIN_HTTP, "OriginSslHandshakeFailed", "tls_protocol_error");

        assertThat(seen.evidence().get("firstBytes")).asString().startsWith("HTTP/1.1 400 Bad Request\\r\\n");
        assertThat(seen.problem().get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .anySatisfy(r -> assertThat(r).asString().contains("http-only"));
    }

    @Test
    void namesARequiredClientCertificateUnderTls12() throws IOException {
        Seen seen = tlsError("client-cert-tls12", TlsFault.CLIENT_CERT_TLS12, "OriginSslHandshakeFailed",
                "tls_alert_received", "42", "bad_certificate");

        assertThat(seen.evidence()).containsEntry("stage", "handshake");
        assertThat(seen.problem().get("detail")).asString().contains("client certificate");
    }

    @Test
    void namesARequiredClientCertificateUnderTls13OnTheFirstRead() throws IOException {
        Seen seen = tlsError("client-cert-tls13", TlsFault.CLIENT_CERT_TLS13, "OriginSslHandshakeFailed",
                "tls_alert_received", "42", "bad_certificate");

        assertThat(seen.evidence()).containsEntry("stage", "first read after handshake")
                .containsEntry("protocol", "TLSv1.3");
        assertThat(seen.problem().get("detail")).asString().contains("client certificate");
    }

    @Test
    void timesOutTheHandshakeOfASilentOrigin() throws IOException {
        Seen seen = tlsError("silent", TlsFault.SILENT, "OriginSslHandshakeFailed", "tls_protocol_error");

        assertThat(seen.param("details")).isEqualTo("no TLS handshake completed within 300 ms");
        assertThat(seen.evidence()).containsEntry("stage", "handshake");
    }

    @Test
    void namesAConnectionClosedDuringTheHandshake() throws IOException {
        Seen seen = tlsError("close-on-accept", TlsFault.CLOSE_ON_ACCEPT, "OriginSslHandshakeFailed",
                "tls_protocol_error");

        assertThat(seen.param("details")).isEqualTo("connection closed by the origin before the TLS handshake completed");
    }

    // ---- the edge: one HTTPS listener, a certificate per site chosen by SNI ----

    /** Starts a gateway whose HTTPS listener serves two sites' lab certificates, in front of a plain origin. */
    private static GatewayFixture edgeGateway(TestOrigin origin, String defaultSite) throws Exception {
        StringBuilder sites = new StringBuilder();
        for (String name : List.of("alpha", "beta")) {
            LabCertificate certificate = pki.leaf(name + ".edge.test");
            Path cert = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            certificate.writePem(cert, key);
            sites.append("""
                    - name: %s
                      hosts: [%s.edge.test]
                      allowedOriginNetworks: [127.0.0.0/8]
                      tls:
                        certificate: %s
                        key: %s
                      origins:
                        - host: 127.0.0.1
                          httpPort: %d
                    """.formatted(name, name, cert, key, origin.port()));
        }
        return GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  httpsPort: 0
                %s  drainTimeout: 2s
                admin:
                  port: 0
                sites:
                %s""".formatted(defaultSite == null ? "" : "  defaultCertificateSite: " + defaultSite + "\n",
                sites.toString().indent(2)));
    }

    /** What a TLS client saw: the certificate the gateway presented and the HTTP response text. */
    private record EdgeExchange(X509Certificate certificate, String response) {
        String subjectAltName() throws GeneralSecurityException {
            return (String) certificate.getSubjectAlternativeNames().iterator().next().get(1);
        }
    }

    /** Connects with this SNI name, trusting only the lab root, and sends one GET with this Host. */
    private static EdgeExchange overTls(int port, String sniName, String host) throws Exception {
        try (SSLSocket socket = LabTlsClient.connect(port, sniName, pki.root())) {
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new EdgeExchange(presented, new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void presentsEachSitesCertificateBySniAndProxiesOverHttps() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture edge = edgeGateway(origin, null)) {
            int port = edge.server().httpsPort();
            assertThat(port).isPositive();

            for (String name : List.of("alpha", "beta")) {
                EdgeExchange exchange = overTls(port, name + ".edge.test", name + ".edge.test");
                assertThat(exchange.subjectAltName()).isEqualTo(name + ".edge.test");
                assertThat(exchange.response()).startsWith("HTTP/1.1 200 OK\r\n")
                        .contains("x-forwarded-proto: https\n").contains("x-forwarded-host: " + name + ".edge.test\n");
            }
            assertThat(origin.requests()).hasSize(2);
        }
    }

    @Test
    void refusesAnUnknownSniNameWithUnrecognizedNameWithoutADefault() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture edge = edgeGateway(origin, null)) {
            assertThatThrownBy(() -> overTls(edge.server().httpsPort(), "nosuch.edge.test", "nosuch.edge.test"))
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("unrecognized_name");
            assertThat(origin.connections()).isZero();
        }
    }

    @Test
    void presentsTheDefaultSitesCertificateForAnUnknownSniName() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture edge = edgeGateway(origin, "beta")) {
            EdgeExchange exchange = overTls(edge.server().httpsPort(), "nosuch.edge.test", "beta.edge.test");

            assertThat(exchange.subjectAltName()).isEqualTo("beta.edge.test");
            assertThat(exchange.response()).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }
}
