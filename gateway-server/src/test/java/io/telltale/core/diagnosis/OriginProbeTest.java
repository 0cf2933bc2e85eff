package io.telltale.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.failure.FailureCode;
import io.telltale.server.lab.dns.LabDns;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe against real faults on loopback: the lab's DNS, broken TLS origins and small HTTP origins. */
class OriginProbeTest {
    private static final String NAME = "www.lab.test";

    @TempDir
    static Path dir;

    private static LabDns dns;
    private static LabPki pki;
    private static String caBundle;
    private static OriginProbe probe;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDns.start(Path.of("..", "config", "lab.zone"));
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        probe = new OriginProbe(Clock.systemUTC(), dns.authoritativePorts());
    }

    @AfterAll
    static void stop() {
        probe.close();
        dns.close();
    }

    private static String resolver() {
        return dns.resolver().resolverLiteral();
    }

    private static ProbeOptions options(String sni, Duration stepTimeout) {
        return new ProbeOptions(List.of(resolver()), sni, caBundle, stepTimeout, null, null, 0);
    }

    private static DiagnosisReport run(String url, ProbeOptions options) throws Exception {
        return probe.probe(url, options).get(30, TimeUnit.SECONDS);
    }

    private static DiagnosisReport run(String url) throws Exception {
        return run(url, options(null, Duration.ofSeconds(5)));
    }

    private static List<StepStatus> statuses(DiagnosisReport report) {
        return report.steps().stream().map(DiagnosisStep::status).toList();
    }

    @Test
    void healthyHttpOriginIsOkWithStatusAndTimeToFirstByte() throws Exception {
        try (LoopbackHttpOrigin origin = new LoopbackHttpOrigin(LoopbackHttpOrigin.OK)) {
            DiagnosisReport report = run("http://127.0.0.1:" + origin.port() + "/hello?x=1");

            assertThat(report.healthy()).isTrue();
            assertThat(report.verdictLine()).isEqualTo("healthy");
            assertThat(report.steps()).extracting(DiagnosisStep::name).containsExactly("dns", "tcp", "tls", "http");
            assertThat(statuses(report)).containsExactly(StepStatus.SKIPPED, StepStatus.OK, StepStatus.SKIPPED, StepStatus.OK);
            DiagnosisStep http = report.step("http");
            assertThat(http.evidence().get("status")).isEqualTo(200);
            assertThat(http.evidence().get("timeToFirstByteMs")).isInstanceOf(Long.class);
            assertThat(http.evidence().get("bodyBytes")).isEqualTo(3L);
            assertThat(http.evidence().get("headers")).asString().contains("Server=loopback");
            assertThat(http.evidence().facts()).as("no Keep-Alive header: none announced")
                    .containsEntry("keepAlive", "none").doesNotContainKey("keepAliveTimeoutS");
            assertThat(http.commands()).containsExactly("curl -v 'http://127.0.0.1:" + origin.port() + "/hello?x=1'");
            assertThat(report.step("tcp").commands()).containsExactly("nc -vz 127.0.0.1 " + origin.port());
            assertThat(origin.requests()).singleElement().asString()
                    .startsWith("GET /hello?x=1 HTTP/1.1\r\n").contains("host: 127.0.0.1:" + origin.port());
        }
    }

    @Test
    void theOriginsKeepAliveTimeoutIsRecordedAsACdnWouldSeeIt() throws Exception {
        String answer = "HTTP/1.1 200 OK\r\nKeep-Alive: max=100, Timeout=4\r\nContent-Length: 3\r\n\r\nok\n";
        try (LoopbackHttpOrigin origin = new LoopbackHttpOrigin(answer)) {
            DiagnosisStep http = run("http://127.0.0.1:" + origin.port() + "/").step("http");

            assertThat(http.evidence().facts()).containsEntry("keepAlive", "max=100, Timeout=4")
                    .containsEntry("keepAliveTimeoutS", 4L);
            assertThat(origin.requests()).singleElement().asString().doesNotContainIgnoringCase("connection: close");
        }
    }

    @Test
    void nameIsResolvedThroughTheGivenResolverOnly() throws Exception {
        try (LoopbackHttpOrigin origin = new LoopbackHttpOrigin(LoopbackHttpOrigin.OK)) {
            DiagnosisReport report = run("http://" + NAME + ":" + origin.port() + "/");

            assertThat(report.healthy()).isTrue();
            DiagnosisStep step = report.step("dns");
            assertThat(step.status()).isEqualTo(StepStatus.OK);
            assertThat(step.evidence().get("using")).isEqualTo("127.0.0.1");
            assertThat(step.evidence().get("resolver")).isEqualTo(resolver());
            assertThat(step.evidence().get("addressNote")).asString().contains("loopback");
            assertThat(step.commands()).contains("dig @127.0.0.1 -p " + dns.resolver().port() + " " + NAME + " A");
            assertThat(report.step("http").commands()).containsExactly(
                    "curl -v --resolve " + NAME + ":" + origin.port() + ":127.0.0.1 'http://" + NAME + ":" + origin.port() + "/'");
            assertThat(dns.resolver().queryCount(NAME, "A")).isPositive();
            assertThat(origin.requests()).singleElement().asString().contains("host: " + NAME + ":" + origin.port());
        }
    }

    @Test
    void refusedPortFailsAtTcpWithOriginConnectionRefused() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        DiagnosisReport report = run("http://127.0.0.1:" + port + "/");

        assertThat(report.healthy()).isFalse();
        assertThat(statuses(report)).containsExactly(StepStatus.SKIPPED, StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.SKIPPED);
        DiagnosisStep tcp = report.step("tcp");
        assertThat(tcp.code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED);
        assertThat(tcp.evidence().get("origin.address")).isEqualTo("127.0.0.1");
        assertThat(report.step("http").summary()).isEqualTo("not run: the tcp step failed");
        assertThat(report.verdictLine()).startsWith("OriginConnectionRefused: the gateway would answer 521 (edge error 521)");
    }

    @Test
    void nxdomainFailsDnsWithRcodeAndTheDelegationDiagnosis() throws Exception {
        DiagnosisReport report = run("http://nxdomain.lab.test/");

        DiagnosisStep step = report.step("dns");
        assertThat(step.code()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        assertThat(step.failure().proxyStatusParams()).containsEntry("rcode", "NXDOMAIN");
        assertThat(step.evidence().get("delegation")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("apex", "lab.test");
        assertThat(statuses(report)).containsExactly(StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.SKIPPED, StepStatus.SKIPPED);
        assertThat(report.verdict()).map(f -> f.code()).contains(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
    }

    @Test
    void servfailFailsDnsWithRcodeAndInfoCode() throws Exception {
        DiagnosisReport report = run("http://servfail.lab.test/");

        DiagnosisStep step = report.step("dns");
        assertThat(step.code()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        assertThat(step.failure().proxyStatusParams()).containsEntry("rcode", "SERVFAIL").containsEntry("info-code", 22);
        assertThat(step.summary()).contains("SERVFAIL");
    }

    @Test
    void lameDelegationFindingsJoinTheDnsStepWithTheirCommands() throws Exception {
        DiagnosisReport report = run("http://www.lame.lab.test/");

        DiagnosisStep step = report.step("dns");
        assertThat(step.code()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        assertThat(step.evidence().get("delegation").toString()).contains("SERVER_REFUSED", "ns1.lame.lab.test");
        assertThat(step.commands()).anySatisfy(c -> assertThat(c).startsWith("dig lame.lab.test SOA @127.0.0.2"));
    }

    @Test
    void nameFailsClearlyWhenNoResolverIsGiven() throws Exception {
        DiagnosisReport report = run("http://" + NAME + "/", ProbeOptions.withResolvers(List.of()));

        DiagnosisStep step = report.step("dns");
        assertThat(step.code()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        assertThat(step.summary()).contains("No DNS resolvers are configured");
        assertThat(report.step("tcp").status()).isEqualTo(StepStatus.SKIPPED);
    }

    @Test
    void healthyHttpsOriginShowsProtocolAndChainWithSniFromTheOption() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, NAME).start()) {
            DiagnosisReport report = run("https://127.0.0.1:" + origin.port() + "/", options(NAME, Duration.ofSeconds(5)));

            assertThat(report.healthy()).as(DiagnosisText.render(report)).isTrue();
            DiagnosisStep tls = report.step("tls");
            assertThat(tls.evidence().get("protocol")).isEqualTo("TLSv1.3");
            assertThat(tls.evidence().get("sniSent")).isEqualTo(NAME);
            assertThat(tls.evidence().get("chain")).asList().hasSize(2);
            assertThat(tls.commands()).containsExactly("openssl s_client -connect 127.0.0.1:" + origin.port()
                    + " -servername " + NAME + " -verify_hostname " + NAME + " -CAfile " + caBundle + " -showcerts </dev/null");
            assertThat(origin.requestedServerNames()).containsExactly(List.of(NAME));
            assertThat(report.step("http").evidence().get("status")).isEqualTo(200);
        }
    }

    @Test
    void expiredCertificateFailsTlsWithTheChainInTheReport() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.EXPIRED, NAME).start()) {
            DiagnosisReport report = run("https://" + NAME + ":" + origin.port() + "/");

            DiagnosisStep tls = report.step("tls");
            assertThat(tls.code()).isEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED);
            assertThat(tls.evidence().get("chain")).asList().hasSize(2).first().asString().contains("CN=" + NAME);
            assertThat(tls.summary()).contains("expired at");
            assertThat(statuses(report)).containsExactly(StepStatus.OK, StepStatus.OK, StepStatus.FAILED, StepStatus.SKIPPED);
        }
    }

    @Test
    void wrongHostCertificateFailsTlsWithNameMismatch() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.WRONG_HOST, NAME).start()) {
            DiagnosisReport report = run("https://" + NAME + ":" + origin.port() + "/");

            DiagnosisStep tls = report.step("tls");
            assertThat(tls.code()).isEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH);
            assertThat(tls.evidence().get("expectedName")).isEqualTo(NAME);
            assertThat(tls.evidence().get("certificateNames")).isEqualTo(List.of("not-" + NAME));
        }
    }

    @Test
    void silentOriginFailsHttpWithOriginResponseTimeout() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.SILENT, NAME).start()) {
            DiagnosisReport report = run("http://127.0.0.1:" + origin.port() + "/", options(null, Duration.ofMillis(300)));

            DiagnosisStep http = report.step("http");
            assertThat(http.code()).isEqualTo(FailureCode.ORIGIN_RESPONSE_TIMEOUT);
            assertThat(http.evidence().get("responseTimeoutMs")).isEqualTo(300L);
            assertThat(http.evidence().get("response")).isEqualTo("none");
            assertThat(report.step("tcp").status()).isEqualTo(StepStatus.OK);
        }
    }

    @Test
    void garbledResponseFailsHttpWithOriginInvalidResponse() throws Exception {
        try (LoopbackHttpOrigin origin = new LoopbackHttpOrigin("SSH-2.0-OpenSSH_9.6\r\n\r\n")) {
            DiagnosisReport report = run("http://127.0.0.1:" + origin.port() + "/");

            assertThat(report.step("http").code()).isEqualTo(FailureCode.ORIGIN_INVALID_RESPONSE);
        }
    }

    @Test
    void portOutsideTheAllowedRangeFailsWithoutConnecting() throws Exception {
        DiagnosisReport report = run("http://127.0.0.1:22/");

        DiagnosisStep tcp = report.step("tcp");
        assertThat(tcp.code()).isEqualTo(FailureCode.ORIGIN_PORT_NOT_ALLOWED);
        assertThat(tcp.commands()).isEmpty();
    }

    @Test
    void prohibitedAddressFailsDnsWhenTheSiteRulesAreGiven() throws Exception {
        ProbeOptions rules = new ProbeOptions(List.of(resolver()), null, null, null, null,
                ProhibitedAddresses.allowingCidrs(List.of()), 0);
        DiagnosisReport report = run("http://" + NAME + ":8080/", rules);

        DiagnosisStep step = report.step("dns");
        assertThat(step.code()).isEqualTo(FailureCode.ORIGIN_IP_PROHIBITED);
        assertThat(step.evidence().get("range")).asString().contains("loopback");
        assertThat(report.step("tcp").status()).isEqualTo(StepStatus.SKIPPED);
    }

    @Test
    void unusableCaBundleIsRefusedBeforeProbing() {
        ProbeOptions bad = new ProbeOptions(List.of(), null, dir.resolve("missing.pem").toString(), null, null, null, 0);

        assertThatThrownBy(() -> probe.probe("https://127.0.0.1:8443/", bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caBundle: ");
    }

    @Test
    void jsonCarriesEveryStepWithCodeAndCommands() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Map<String, Object> json = DiagnosisJson.toMap(run("http://127.0.0.1:" + port + "/"));

        assertThat(json).containsEntry("verdict", "OriginConnectionRefused").containsEntry("gatewayStatus", 521)
                .containsEntry("healthy", false);
        assertThat(json.get("steps")).asList().hasSize(4);
        assertThat(DiagnosisJson.write(run("http://127.0.0.1:" + port + "/")))
                .contains("\"step\":\"tcp\",\"status\":\"failed\"", "\"code\":\"OriginConnectionRefused\"", "nc -vz 127.0.0.1 " + port);
    }
}
