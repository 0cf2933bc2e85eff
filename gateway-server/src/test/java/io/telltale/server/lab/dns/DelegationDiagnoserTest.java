package io.telltale.server.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.telltale.core.config.DnsConfig;
import io.telltale.core.dns.DelegationDiagnoser;
import io.telltale.core.dns.DelegationFinding;
import io.telltale.core.dns.DelegationReport;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real delegation on loopback: the parent zone {@code test.} (also the resolver, with recursion) on
 * 127.0.0.1, child zones on 127.0.0.2, a secondary that drops every query on 127.0.0.3 and a stale
 * secondary on 127.0.0.4.
 */
class DelegationDiagnoserTest {
    private static final String PARENT = """
            $ORIGIN test.
            @             3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
            @                  IN NS  ns.test.
            ns                 IN A   127.0.0.1
            lame               IN NS  ns1.lame.test.
            ns1.lame           IN A   127.0.0.2
            dead               IN NS  ns1.dead.test.
            dead               IN NS  ns2.dead.test.
            dead               IN NS  ns3.dead.test.
            ns1.dead           IN A   127.0.0.2
            ns2.dead           IN A   127.0.0.3
            ns3.dead           IN A   127.0.0.4
            mismatch           IN NS  ns1.mismatch.test.
            mismatch           IN NS  ns2.mismatch.test.
            ns1.mismatch       IN A   127.0.0.2
            ns2.mismatch       IN A   127.0.0.2
            noglue             IN NS  ns1.noglue.test.
            noglue             IN NS  ns1.dead.test.
            bogus              IN A   127.0.0.1
            ;@fault bogus BOGUS
            """;

    private static final String LAME = """
            $ORIGIN lame.test.
            @   IN SOA ns1.lame.test. hostmaster.lame.test. 5 3600 600 86400 60
            @   IN NS  ns1
            ns1 IN A   127.0.0.2
            www IN A   127.0.0.1
            ;@fault @ LAME
            """;

    private static final String MISMATCH = """
            $ORIGIN mismatch.test.
            @   IN SOA ns1.mismatch.test. hostmaster.mismatch.test. 3 3600 600 86400 60
            @   IN NS  ns1
            @   IN NS  ns3
            ns1 IN A   127.0.0.2
            ns3 IN A   127.0.0.2
            www IN A   127.0.0.1
            """;

    private static final String NOGLUE = """
            $ORIGIN noglue.test.
            @   IN SOA ns1.noglue.test. hostmaster.noglue.test. 1 3600 600 86400 60
            @   IN NS  ns1
            @   IN NS  ns1.dead.test.
            ns1 IN A   127.0.0.2
            www IN A   127.0.0.1
            """;

    private static final Map<InetAddress, Integer> PORTS = new ConcurrentHashMap<>();
    private static LabDnsServer parent;
    private static LabDnsServer child;
    private static LabDnsServer dead;
    private static LabDnsServer staleSecondary;
    private static ExecutorService executor;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void start() throws Exception {
        parent = LabDnsServer.builder().zone(PARENT).recursion(PORTS::get).start();
        child = LabDnsServer.builder().bindAddress(ip("127.0.0.2"))
                .zone(LAME).zone(MISMATCH).zone(NOGLUE).zone(dead(2)).start();
        dead = LabDnsServer.builder().bindAddress(ip("127.0.0.3")).zone(dead(2))
                .fault("dead.test.", LabDnsFault.of(LabDnsFault.Kind.DROP)).start();
        staleSecondary = LabDnsServer.builder().bindAddress(ip("127.0.0.4")).zone(dead(1)).start();
        for (LabDnsServer s : List.of(parent, child, dead, staleSecondary)) {
            PORTS.put(s.address().getAddress(), s.port());
        }
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        for (LabDnsServer s : List.of(parent, child, dead, staleSecondary)) {
            s.close();
        }
        executor.shutdownNow();
    }

    private static String dead(int serial) {
        return """
                $ORIGIN dead.test.
                @   IN SOA ns1.dead.test. hostmaster.dead.test. %d 3600 600 86400 60
                @   IN NS  ns1
                @   IN NS  ns2
                @   IN NS  ns3
                ns1 IN A   127.0.0.2
                ns2 IN A   127.0.0.3
                ns3 IN A   127.0.0.4
                www IN A   127.0.0.1
                """.formatted(serial);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByAddress(io.netty.util.NetUtil.createByteArrayFromIpAddressString(literal));
    }

    private DnsjavaOriginResolver resolver(Duration budget) {
        DnsConfig config = new DnsConfig(List.of(parent.resolverLiteral()), Duration.ofSeconds(1), 1, Duration.ZERO,
                Duration.ofDays(1), Duration.ofHours(1), 1000, 53, budget, Duration.ofSeconds(60),
                Duration.ofMillis(50));
        return new DnsjavaOriginResolver(config, clock::get, executor, PORTS::get);
    }

    private DelegationReport diagnose(String name) throws Exception {
        try (DnsjavaOriginResolver r = resolver(Duration.ofSeconds(5))) {
            return r.diagnoser().orElseThrow().diagnose(name).get(10, TimeUnit.SECONDS);
        }
    }

    private static Failure failureOf(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(t).hasCauseInstanceOf(FailureException.class);
        return ((FailureException) t.getCause()).failure();
    }

    private static DelegationFinding finding(DelegationReport report, String id) {
        return report.findings().stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + report.findings()));
    }

    @Test
    void lameDelegationJoinsTheServfailExplanation() {
        try (DnsjavaOriginResolver r = resolver(Duration.ofSeconds(5))) {
            Failure f = failureOf(r.resolve("www.lame.test"));
            assertThat(f.proxyStatusParams()).containsEntry("rcode", "SERVFAIL").containsEntry("info-code", 22);
            @SuppressWarnings("unchecked")
            Map<String, Object> delegation = (Map<String, Object>) f.evidence().get("delegation");
            assertThat(delegation).containsEntry("apex", "lame.test").containsEntry("parent", "test");
            assertThat(delegation.get("findings").toString()).contains("SERVER_NOT_AUTHORITATIVE");
            assertThat(f.remediation()).anySatisfy(line -> assertThat(line)
                    .contains("the delegation is lame")
                    .contains("dig lame.test SOA @127.0.0.2 -p " + child.port() + " +norecurse"));
        }
    }

    @Test
    void deadSecondaryIsReportedAsTimeoutAndStaleSecondaryAsSerialMismatch() throws Exception {
        DelegationReport report = diagnose("www.dead.test");
        assertThat(report.apex()).isEqualTo("dead.test");
        assertThat(finding(report, "TIMEOUT").sentence()).contains("ns2.dead.test").contains("127.0.0.3:" + dead.port());
        assertThat(finding(report, "TIMEOUT").command())
                .isEqualTo("dig dead.test SOA @127.0.0.3 -p " + dead.port() + " +norecurse");
        assertThat(finding(report, "SOA_SERIAL_MISMATCH").sentence()).contains("=2").contains("=1");
        assertThat(report.has("SERVER_NOT_AUTHORITATIVE")).isFalse();
    }

    @Test
    void parentAndChildNsSetMismatchIsReported() throws Exception {
        DelegationReport report = diagnose("www.mismatch.test");
        assertThat(report.parent()).isEqualTo("test");
        assertThat(finding(report, "NS_SET_MISMATCH").sentence())
                .contains("only in the parent: [ns2.mismatch.test]")
                .contains("only in the child: [ns3.mismatch.test]");
        assertThat(finding(report, "NS_SET_MISMATCH").command())
                .contains("dig mismatch.test NS @127.0.0.1 -p " + parent.port() + " +norecurse");
    }

    @Test
    void inBailiwickNameServerWithoutGlueIsReported() throws Exception {
        DelegationReport report = diagnose("www.noglue.test");
        assertThat(finding(report, "MISSING_GLUE_FOR_NS_NAME").sentence()).contains("ns1.noglue.test");
        assertThat(report.has("NS_SET_MISMATCH")).isFalse();
    }

    @Test
    void healthyDelegationHasNoFindings() throws Exception {
        DelegationReport report = diagnose("ns.test");
        assertThat(report.apex()).isEqualTo("test");
        assertThat(report.findings()).isEmpty();
        assertThat(report.complete()).isTrue();
    }

    @Test
    void servfailThatCheckingDisabledAvoidsIsDnssecBogus() {
        try (DnsjavaOriginResolver r = resolver(Duration.ofSeconds(5))) {
            Failure f = failureOf(r.resolve("bogus.test"));
            assertThat(f.proxyStatusParams()).containsEntry("info-code", 6);
            assertThat(f.remediation()).anySatisfy(line -> assertThat(line).contains("+cd")
                    .contains("signatures do not validate"));
            assertThat(f.evidence().get("delegation").toString()).contains("DNSSEC_BOGUS");
        }
    }

    @Test
    void diagnosisRunsAtMostOncePerInterval() {
        try (DnsjavaOriginResolver r = resolver(Duration.ofSeconds(5))) {
            DelegationDiagnoser diagnoser = r.diagnoser().orElseThrow();
            CompletableFuture<DelegationReport> first = diagnoser.diagnose("www.mismatch.test");
            assertThat(diagnoser.diagnose("WWW.mismatch.test.")).isSameAs(first);
            clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
            assertThat(diagnoser.diagnose("www.mismatch.test")).isNotSameAs(first);
        }
    }

    @Test
    void slowDiagnosisIsSaidToBeRunningAndKeptForLater() {
        try (DnsjavaOriginResolver r = resolver(Duration.ofMillis(1))) {
            Failure f = failureOf(r.resolve("www.lame.test"));
            assertThat((String) f.evidence().get("delegationDiagnosis")).startsWith("still running after 1 ms");
            DelegationDiagnoser diagnoser = r.diagnoser().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> diagnoser.latest("www.lame.test").isPresent());
            assertThat(diagnoser.latest("www.lame.test").orElseThrow().has("SERVER_NOT_AUTHORITATIVE")).isTrue();
        }
    }
}
