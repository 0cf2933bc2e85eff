package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code diagnose} command's text, JSON and exit status against real loopback origins. */
class DiagnoseCommandTest {
    private static final String NAME = "www.lab.test";

    @TempDir
    static Path dir;

    private static LabPki pki;
    private static String caBundle;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void setUp() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "diagnose";
        System.arraycopy(args, 0, all, 1, args.length);
        return TelltaleCommand.execute(all, new PrintWriter(out), new PrintWriter(err));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void healthyHttpsOriginPrintsEveryStepOkAndExitsZero() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, NAME).start()) {
            int exit = run("https://127.0.0.1:" + origin.port() + "/", "--sni", NAME, "--ca-bundle", caBundle);

            assertThat(exit).as(out + "" + err).isZero();
            assertThat(out.toString())
                    .contains("  DNS   skipped", "  TCP   ok", "  TLS   ok", "  HTTP  ok", "200 OK", "verdict: healthy",
                            "nc -vz 127.0.0.1 " + origin.port(),
                            "openssl s_client -connect 127.0.0.1:" + origin.port() + " -servername " + NAME,
                            "curl -v --resolve " + NAME + ":" + origin.port() + ":127.0.0.1 --cacert " + caBundle,
                            "    - subject: CN=" + NAME)
                    .doesNotContain("FAILED");
            assertThat(out.toString().chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f));
        }
    }

    @Test
    void expiredCertificatePrintsTheCodeChainAndFixAndExitsThree() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.EXPIRED, NAME).start()) {
            int exit = run("https://127.0.0.1:" + origin.port() + "/", "--sni", NAME, "--ca-bundle", caBundle);

            assertThat(exit).isEqualTo(3);
            assertThat(out.toString())
                    .contains("  TLS   FAILED", "OriginSslCertificateExpired: The certificate of " + NAME + " expired on ",
                            "  HTTP  skipped", "not run: the tls step failed",
                            "verdict: OriginSslCertificateExpired: the gateway would answer 502 (edge error 526)",
                            "code: OriginSslCertificateExpired (status 502, edge error 526, Proxy-Status tls_certificate_error)",
                            "  fix:", "chain:", "notAfter: ");
        }
    }

    @Test
    void refusedPortAsJsonNamesTheCodeAndExitsThree() throws Exception {
        int port = closedPort();

        int exit = run("http://127.0.0.1:" + port + "/", "--json");

        assertThat(exit).isEqualTo(3);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("verdict").asText()).isEqualTo("OriginConnectionRefused");
        assertThat(json.get("gatewayStatus").asInt()).isEqualTo(521);
        assertThat(json.get("steps")).hasSize(4);
        JsonNode tcp = json.get("steps").get(1);
        assertThat(tcp.get("status").asText()).isEqualTo("failed");
        assertThat(tcp.get("code").asText()).isEqualTo("OriginConnectionRefused");
        assertThat(tcp.get("repeat").get(0).asText()).isEqualTo("nc -vz 127.0.0.1 " + port);
        assertThat(tcp.get("failure").get("remediation")).isNotEmpty();
    }

    @Test
    void badUrlIsRefusedWithExitTwo() {
        int exit = run("ftp://x");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("url: ftp://x (expected: an http or https URL)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void hostNameWithoutResolverIsRefusedWithExitTwo() {
        int exit = run("http://" + NAME + "/");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--resolver: none (expected: a resolver IP[:PORT] to look up " + NAME);
    }

    @Test
    void badResolverAndTimeoutAreRefusedWithExitTwo() {
        assertThat(run("http://127.0.0.1:8080/", "--resolver", "dns.example")).isEqualTo(2);
        assertThat(run("http://127.0.0.1:8080/", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--resolver: dns.example (expected: an IP literal such as 127.0.0.1:53)",
                "--timeout: soon (expected: a duration such as 250ms");
    }
}
