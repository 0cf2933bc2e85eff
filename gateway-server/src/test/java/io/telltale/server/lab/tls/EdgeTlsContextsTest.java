package io.telltale.server.lab.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telltale.core.config.DataSize;
import io.telltale.core.config.Http2Config;
import io.telltale.core.config.ServerConfig;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.config.SiteTlsConfig;
import io.telltale.core.tls.EdgeTlsContexts;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeTlsContextsTest {
    @TempDir
    static Path dir;

    private static LabPki pki;
    private static String caBundle;
    private static TlsTestClient client;
    private static SiteConfig siteA;
    private static SiteConfig siteB;

    @BeforeAll
    static void setUp() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        client = new TlsTestClient(new OriginTlsContexts(Clock.systemUTC()));
        siteA = site("a", List.of("a.test"), write("a", pki.leaf("a.test")));
        siteB = site("b", List.of("*.b.test", "b.test"), write("b", pki.leaf("*.b.test", "b.test")));
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    private static SiteTlsConfig write(String prefix, LabCertificate certificate) throws Exception {
        Path cert = dir.resolve(prefix + "-" + System.nanoTime() + ".crt.pem");
        Path key = dir.resolve(prefix + "-" + System.nanoTime() + ".key.pem");
        certificate.writePem(cert, key);
        return new SiteTlsConfig(cert.toString(), key.toString());
    }

    private static SiteConfig site(String name, List<String> hosts, SiteTlsConfig tls) {
        return new SiteConfig(name, hosts, List.of(), null, null, null, List.of(), List.of(), List.of(), null, null, tls,
                null, false, null);
    }

    private static ServerConfig server(String defaultSite) {
        return new ServerConfig("127.0.0.1", 0, 0, defaultSite, 1, "telltale", Duration.ofSeconds(1),
                new Http2Config(true, true, 128, DataSize.ofKiB(16), Duration.ofSeconds(30), 200, 200, 2, 16));
    }

    private static TlsTestClient.Outcome handshake(EdgeTestServer edge, String name) throws Exception {
        return client.exchange(TlsTestClient.origin(name, caBundle), name, edge.port());
    }

    private static List<String> leafNames(TlsTestClient.Outcome outcome) throws Exception {
        X509Certificate leaf = outcome.chain().get(0);
        return leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    }

    @Test
    void certificateIsChosenBySniForExactAndWildcardHosts() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server(null), List.of(siteA, siteB), Clock.systemUTC());
        try (EdgeTestServer edge = new EdgeTestServer(contexts)) {
            TlsTestClient.Outcome a = handshake(edge, "a.test");
            TlsTestClient.Outcome b = handshake(edge, "www.b.test");

            assertThat(a.failure()).isNull();
            assertThat(leafNames(a)).containsExactly("a.test");
            assertThat(b.failure()).isNull();
            assertThat(leafNames(b)).containsExactly("*.b.test", "b.test");
            assertThat(contexts.siteFor("deep.www.b.test")).isNull();
        }
    }

    @Test
    void unknownNameGetsTheDefaultSitesCertificate() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server("a"), List.of(siteA, siteB), Clock.systemUTC());
        try (EdgeTestServer edge = new EdgeTestServer(contexts)) {
            TlsTestClient.Outcome outcome = handshake(edge, "unknown.test");

            assertThat(outcome.failure().code().code()).isEqualTo("OriginSslCertificateNameMismatch");
            assertThat(leafNames(outcome)).containsExactly("a.test");
        }
    }

    @Test
    void unknownNameWithoutDefaultIsRefusedWithUnrecognizedName() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server(null), List.of(siteA, siteB), Clock.systemUTC());
        try (EdgeTestServer edge = new EdgeTestServer(contexts)) {
            TlsTestClient.Outcome outcome = handshake(edge, "unknown.test");

            assertThat(outcome.failure().proxyStatusParams())
                    .containsEntry("alert-id", 112).containsEntry("alert-message", "unrecognized_name");
            assertThat(outcome.chain()).isEmpty();
        }
    }

    @Test
    void clientWithoutSniAndNoDefaultIsRefused() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server(null), List.of(siteA), Clock.systemUTC());
        try (EdgeTestServer edge = new EdgeTestServer(contexts)) {
            TlsTestClient.Outcome outcome = handshake(edge, "127.0.0.1");

            assertThat(outcome.failure().code().code()).isEqualTo("OriginSslHandshakeFailed");
            assertThat(outcome.failure().evidence().get("sniSent")).isEqualTo("none (IP literal)");
            assertThat(outcome.chain()).isEmpty();
        }
    }

    @Test
    void alpnPrefersH2AndOffersOnlyHttp11WhenHttp2IsOffOnTheListener() throws Exception {
        ServerConfig withoutH2 = new ServerConfig("127.0.0.1", 0, 0, null, 1, "telltale", Duration.ofSeconds(1),
                new Http2Config(true, false, 128, DataSize.ofKiB(16), Duration.ofSeconds(30), 200, 200, 2, 16));

        assertThat(negotiated(EdgeTlsContexts.load(server(null), List.of(siteA), Clock.systemUTC()))).isEqualTo("h2");
        assertThat(negotiated(EdgeTlsContexts.load(withoutH2, List.of(siteA), Clock.systemUTC()))).isEqualTo("http/1.1");
    }

    private String negotiated(EdgeTlsContexts contexts) throws Exception {
        try (EdgeTestServer edge = new EdgeTestServer(contexts); Socket plain = new Socket()) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            anchors.setCertificateEntry("root", pki.root());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            plain.connect(new InetSocketAddress(io.netty.util.NetUtil.LOCALHOST4, edge.port()), 2000);
            plain.setSoTimeout(2000);
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(plain, "a.test", edge.port(), true)) {
                SSLParameters p = socket.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName("a.test")));
                p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                socket.setSSLParameters(p);
                socket.startHandshake();

                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                return socket.getApplicationProtocol();
            }
        }
    }

    @Test
    void reloadSwapsTheCertificate() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server(null), List.of(siteA), Clock.systemUTC());
        try (EdgeTestServer edge = new EdgeTestServer(contexts)) {
            X509Certificate before = handshake(edge, "a.test").chain().get(0);
            SiteConfig renewed = site("a", List.of("a.test", "www.a.test"), write("a2", pki.leaf("a.test", "www.a.test")));

            contexts.reload(server(null), List.of(renewed));
            TlsTestClient.Outcome after = handshake(edge, "www.a.test");

            assertThat(after.failure()).isNull();
            assertThat(after.chain().get(0)).isNotEqualTo(before);
            assertThat(leafNames(after)).containsExactly("a.test", "www.a.test");
        }
    }

    @Test
    void failedReloadKeepsTheCurrentCertificates() throws Exception {
        EdgeTlsContexts contexts = EdgeTlsContexts.load(server(null), List.of(siteA), Clock.systemUTC());
        SiteConfig broken = site("a", List.of("a.test"), new SiteTlsConfig(dir.resolve("gone.pem").toString(),
                siteA.tls().key()));

        assertThatThrownBy(() -> contexts.reload(server(null), List.of(broken))).isInstanceOf(TlsConfigException.class);
        assertThat(contexts.siteFor("a.test")).isEqualTo("a");
    }

    @Test
    void certificateProblemsNameTheSiteFieldAndFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        SiteTlsConfig expired = write("expired", pki.expiredLeaf("c.test"));
        SiteTlsConfig wrongName = write("wrong", pki.leaf("other.test"));
        SiteTlsConfig foreignKey = new SiteTlsConfig(siteA.tls().certificate(), siteB.tls().key());
        Path sec1 = dir.resolve("sec1.key.pem");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(sec1))) {
            w.writeObject(pki.leaf("a.test").key());
        }
        List<SiteConfig> sites = List.of(
                site("missing", List.of("m.test"), new SiteTlsConfig(missing.toString(), siteA.tls().key())),
                site("garbage", List.of("g.test"), new SiteTlsConfig(garbage.toString(), siteA.tls().key())),
                site("expired", List.of("c.test"), expired),
                site("wrong", List.of("w.test", "other.test"), wrongName),
                site("foreign", List.of("a.test"), foreignKey),
                site("sec1", List.of("a.test"), new SiteTlsConfig(siteA.tls().certificate(), sec1.toString())));

        assertThatThrownBy(() -> EdgeTlsContexts.load(server(null), sites, Clock.systemUTC()))
                .isInstanceOfSatisfying(TlsConfigException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).isEqualTo("sites[0].tls.certificate: " + missing
                                + " (expected: a readable PEM certificate chain; the file does not exist)"),
                        p -> assertThat(p).isEqualTo("sites[1].tls.certificate: " + garbage
                                + " (expected: a readable PEM certificate chain; the file holds no -----BEGIN CERTIFICATE----- block)"),
                        p -> assertThat(p).startsWith("sites[2].tls.certificate: " + expired.certificate()
                                + " (expected: certificates valid now; CN=c.test,O=Telltale Lab expired at "),
                        p -> assertThat(p).isEqualTo("sites[3].tls.certificate: " + wrongName.certificate()
                                + " (expected: a certificate covering every host of site wrong; it does not cover [w.test],"
                                + " it covers [other.test])"),
                        p -> assertThat(p).isEqualTo("sites[4].tls.key: " + foreignKey.key() + " (expected: the private key"
                                + " of the leaf certificate in " + siteA.tls().certificate() + "; it belongs to another certificate)"),
                        p -> assertThat(p).startsWith("sites[5].tls.key: " + sec1
                                + " (expected: a readable PKCS#8 PEM private key; the file holds a traditional (SEC1/PKCS#1) key;"
                                + " convert it with openssl pkcs8 -topk8")));
    }

    @Test
    void defaultSiteMustHaveACertificate() {
        assertThatThrownBy(() -> EdgeTlsContexts.load(server("nope"), List.of(siteA), Clock.systemUTC()))
                .isInstanceOfSatisfying(TlsConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "server.defaultCertificateSite: nope (expected: the name of a site with tls; sites with tls: [a])"));
    }
}
