package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code telltale preflight} against lab origins on loopback: the verdict matrix in text, JSON and JUnit. */
class PreflightCommandTest {
    private static final String ZONE = """
            $ORIGIN tls.test.
            $TTL 300
            @ 3600 IN SOA ns.tls.test. hostmaster.tls.test. 1 3600 600 86400 60
            @      IN NS  ns
            ns     IN A   127.0.0.1
            out-of-order IN A 127.0.0.1
            tls13-only   IN A 127.0.0.1
            healthy      IN A 127.0.0.1
            slow         IN A 127.0.0.1
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static LabPki pki;
    private static String caBundle;
    private static LabDnsServer dns;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void setUp() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        dns = LabDnsServer.builder().zone(ZONE).start();
    }

    @AfterAll
    static void tearDown() {
        dns.close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("preflight"));
        all.addAll(List.of(args));
        all.addAll(List.of("--resolver", dns.resolverLiteral()));
        return TelltaleCommand.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    }

    private static JsonNode verdict(JsonNode report, String profile) {
        for (JsonNode v : report.get("verdicts")) {
            if (v.get("profile").asText().equals(profile)) {
                return v;
            }
        }
        throw new AssertionError("no verdict for " + profile + " in " + report);
    }

    @Test
    void anOutOfOrderChainFailsCloudfrontOnlyInJsonAndJunit() throws Exception {
        Path junit = dir.resolve("preflight.xml");
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.OUT_OF_ORDER, "out-of-order.tls.test").start()) {
            int exit = run("https://out-of-order.tls.test:" + origin.port() + "/", "--ca-bundle", caBundle,
                    "--cdn", "cloudfront,cloudflare-full,cloudflare-strict", "--origin-rule-port", "--json",
                    "--junit", junit.toString());

            assertThat(exit).as(out + "" + err).isEqualTo(3);
            JsonNode report = JSON.readTree(out.toString());
            JsonNode cloudfront = verdict(report, "cloudfront");
            assertThat(cloudfront.get("pass").asBoolean()).isFalse();
            assertThat(cloudfront.get("status").asInt()).isEqualTo(502);
            assertThat(cloudfront.get("code").asText()).isEqualTo("OriginSslChainOutOfOrder");
            assertThat(cloudfront.get("fix").asText()).isNotBlank();
            assertThat(verdict(report, "cloudflare-full").get("pass").asBoolean()).isTrue();
            JsonNode strict = verdict(report, "cloudflare-strict");
            assertThat(strict.get("pass").asBoolean()).isTrue();
            assertThat(strict.get("warnings").toString()).contains("out of order", "Origin Rule");
            String xml = Files.readString(junit);
            assertThat(xml).contains("tests=\"3\" failures=\"1\"", "<testcase classname=\"preflight\" name=\"cloudfront\">",
                    "<failure message=\"502 OriginSslChainOutOfOrder\"");
        }
    }

    @Test
    void aTls13OnlyOriginFailsCloudfrontWithAHandshakeErrorInText() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.TLS13_ONLY, "tls13-only.tls.test").start()) {
            int exit = run("https://tls13-only.tls.test:" + origin.port() + "/", "--ca-bundle", caBundle,
                    "--cdn", "cloudfront,cloudflare-strict", "--origin-rule-port");

            assertThat(exit).as(out + "" + err).isEqualTo(3);
            assertThat(out.toString()).contains("cloudfront           FAIL 502 (OriginSslHandshakeFailed)",
                    "cloudflare-strict    pass", "1 of 2 CDNs would fail visitors");
        }
    }

    @Test
    void cloudfrontRefusesAnIpLiteralAndCloudflareAPortItDoesNotProxy() throws Exception {
        try (SlowOrigin origin = new SlowOrigin(0)) {
            int exit = run("http://127.0.0.1:" + origin.port() + "/", "--cdn", "cloudfront,cloudflare-full,fastly",
                    "--json");

            assertThat(exit).as(out + "" + err).isEqualTo(3);
            JsonNode report = JSON.readTree(out.toString());
            assertThat(verdict(report, "cloudfront").get("what").asText())
                    .contains("refuses this origin when it is configured", "host: 127.0.0.1");
            assertThat(verdict(report, "cloudflare-full").get("what").asText())
                    .contains("does not proxy port " + origin.port());
            assertThat(verdict(report, "fastly").get("pass").asBoolean()).isTrue();
        }
    }

    @Test
    void aSlowFirstByteFailsFastlyAndAkamaiButNotCloudfrontOnAShortenedClock() throws Exception {
        // At a twentieth of the vendors' timeouts: Fastly 750 ms, Akamai 1 s, CloudFront 1.5 s.
        try (SlowOrigin origin = new SlowOrigin(1_200)) {
            int exit = run("http://slow.tls.test:" + origin.port() + "/", "--cdn", "cloudfront,fastly,akamai",
                    "--time-scale", "0.05", "--json");

            assertThat(exit).as(out + "" + err).isEqualTo(3);
            JsonNode report = JSON.readTree(out.toString());
            assertThat(verdict(report, "cloudfront").get("pass").asBoolean()).isTrue();
            JsonNode fastly = verdict(report, "fastly");
            assertThat(fastly.get("status").asInt()).isEqualTo(503);
            assertThat(fastly.get("cdnError").asText()).isEqualTo("first byte timeout");
            assertThat(verdict(report, "akamai").get("cdnError").asText()).isEqualTo("ERR_READ_TIMEOUT");
            assertThat(report.get("warnings").toString())
                    .contains("slower than the first-byte timeout of Fastly, Akamai but within that of CloudFront");
        }
    }

    @Test
    void anHttpsOnlyOriginFailsCloudflareFlexibleWhichSpeaksPlainHttpToItButPassesFull() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "healthy.tls.test").start()) {
            int exit = run("https://healthy.tls.test:" + origin.port() + "/", "--ca-bundle", caBundle,
                    "--cdn", "cloudflare-full,cloudflare-flexible", "--origin-rule-port", "--json");

            assertThat(exit).as(out + "" + err).isEqualTo(3);
            JsonNode report = JSON.readTree(out.toString());
            assertThat(verdict(report, "cloudflare-full").get("pass").asBoolean()).isTrue();
            JsonNode flexible = verdict(report, "cloudflare-flexible");
            assertThat(flexible.get("pass").asBoolean()).isFalse();
            assertThat(flexible.get("status").asInt()).isEqualTo(520);
            assertThat(flexible.get("fix").asText()).contains("plain HTTP on port " + origin.port(), "Full (strict)");
        }
    }

    @Test
    void aHealthyOriginPassesEveryCdnAndWarnsOnlyOfACertificateExpiringInsideTheWindow() throws Exception {
        // The lab's leaf certificates live 30 days: inside the default 30-day window, outside a 7-day one.
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "healthy.tls.test").start()) {
            String url = "https://healthy.tls.test:" + origin.port() + "/";
            int warned = run(url, "--ca-bundle", caBundle, "--cdn", "cloudfront,fastly,akamai");

            assertThat(warned).as(out + "" + err).isEqualTo(1);
            assertThat(out.toString()).contains("every CDN would reach this origin",
                    "warning: the certificate expires in ", "days, within the 30-day window");

            out.getBuffer().setLength(0);
            int clean = run(url, "--ca-bundle", caBundle, "--cdn", "cloudfront,fastly,akamai", "--expiry-window", "7");
            assertThat(clean).as(out + "" + err).isZero();
            assertThat(out.toString()).doesNotContain("warning");
        }
    }

    @Test
    void anOriginKeepAliveShorterThanACdnsIdleTimeoutWarnsUnderThatCdnOnly() throws Exception {
        // CloudFront reuses an idle origin connection for 5 s, Cloudflare for 900 s; Fastly documents no value.
        try (SlowOrigin origin = new SlowOrigin(0, "Keep-Alive: timeout=4, max=100\r\n")) {
            int exit = run("http://slow.tls.test:" + origin.port() + "/", "--cdn", "cloudfront,cloudflare-flexible,fastly",
                    "--origin-rule-port", "--json");

            assertThat(exit).as(out + "" + err).isEqualTo(1);
            JsonNode report = JSON.readTree(out.toString());
            assertThat(verdict(report, "cloudfront").get("warnings").toString())
                    .contains("closes idle connections after 4 s (Keep-Alive: timeout=4), before CloudFront's 5 s idle");
            assertThat(verdict(report, "cloudflare-flexible").get("warnings").toString())
                    .contains("after 4 s (Keep-Alive: timeout=4), before Cloudflare (Flexible)'s 900 s idle timeout");
            assertThat(verdict(report, "fastly").get("warnings").toString()).doesNotContain("Keep-Alive");
        }
        out.getBuffer().setLength(0);
        try (SlowOrigin origin = new SlowOrigin(0, "Keep-Alive: timeout=900\r\n")) {
            run("http://slow.tls.test:" + origin.port() + "/", "--cdn", "cloudfront,cloudflare-flexible", "--json");
            assertThat(out.toString()).doesNotContain("Keep-Alive");
        }
        out.getBuffer().setLength(0);
        try (SlowOrigin silent = new SlowOrigin(0, "")) {
            run("http://slow.tls.test:" + silent.port() + "/", "--cdn", "cloudfront", "--json");
            assertThat(out.toString()).as("no Keep-Alive header: no timeout announced, nothing to compare")
                    .doesNotContain("Keep-Alive").contains("\"pass\":true");
        }
    }

    @Test
    void anUnknownCdnIsBadInput() {
        assertThat(run("http://127.0.0.1:1/", "--cdn", "cloudfrnt")).isEqualTo(2);
        assertThat(err.toString()).contains("--cdn: cloudfrnt (expected: cloudfront");
    }
}
