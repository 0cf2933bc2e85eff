package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.edge.Transport;
import io.telltale.server.health.HealthChecker;
import io.telltale.server.health.OriginDoctor;
import io.telltale.server.health.OriginHealth;
import io.telltale.server.health.OriginStatus;
import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.Site;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active health checks made to fail for real on loopback (a refusing address, a silent origin, a 503, an expired
 * certificate) and to warn (a certificate expiring in three days, a name with one refusing address), each check
 * run by hand through a scheduler the test holds, so thresholds and delays are counted in checks, not in time.
 * The thresholds are checked first, while each origin has had no check yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthCheckTest {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long JITTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    static Path dir;

    private static NamedOrigin steady;
    private static NamedOrigin sick;
    private static NamedOrigin partlyServing;
    private static NamedOrigin slow;
    private static BrokenOrigin silent;
    private static TlsOrigin expired;
    private static TlsOrigin expiring;
    private static LabDnsServer dns;
    private static EventLoopGroup loops;
    private static Gateway gateway;
    private static final HandScheduler SCHEDULER = new HandScheduler();
    private static HealthChecker checker;

    @BeforeAll
    static void start() throws Exception {
        steady = NamedOrigin.start("steady", new InetSocketAddress(loopback(81), 0));
        int port = steady.port();
        sick = NamedOrigin.start("sick", new InetSocketAddress(loopback(82), port));
        sick.answer(503, "");
        partlyServing = NamedOrigin.start("partly", new InetSocketAddress(loopback(85), port));
        slow = NamedOrigin.start("slow", new InetSocketAddress(loopback(86), port));
        silent = BrokenOrigin.start(OriginFault.SILENT);
        LabPki pki = LabPki.create(Clock.systemUTC());
        String caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        expired = new TlsOrigin(pki, TlsFault.EXPIRED, "127.0.0.1").start();
        expiring = new TlsOrigin(pki, TlsFault.EXPIRES_SOON, "127.0.0.1").start();
        dns = LabDnsServer.builder().zone("""
                $ORIGIN health.test.
                $TTL 60
                @       IN SOA ns1 hostmaster 1 3600 600 86400 1
                @       IN NS  ns1
                ns1     IN A   127.0.0.1
                partly  IN A   127.0.0.84
                partly  IN A   127.0.0.85
                """).start();
        // Generous timeouts: a cold JVM's first handshakes are slow, and only the silent origin should time out.
        String check = "healthCheck: {interval: 10s, timeout: 5s, unhealthyThreshold: 2, healthyThreshold: 2, "
                + "jitter: 1s}";
        String yaml = """
                server: {httpPort: 0}
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                sites:
                %s%s%s%s%s%s%s""".formatted(dns.resolverLiteral(),
                site("refused", check, "{host: 127.0.0.83, httpPort: " + port + "}", origin(steady)),
                site("status", check, origin(sick), origin(steady)),
                site("silent", check.replace("5s", "1s"), "{host: 127.0.0.1, httpPort: " + silent.port() + "}", origin(steady)),
                site("expired", check, tls(expired, caBundle), origin(steady)),
                site("expiring", check, tls(expiring, caBundle), origin(steady)),
                site("partly", check, "{host: partly.health.test, httpPort: " + port + "}", origin(steady)),
                site("slow", check.replace("jitter: 1s", "jitter: 1s, slowWarningPercent: 1"), origin(slow),
                        origin(steady)));
        Transport transport = Transport.best();
        gateway = new GatewayAssembly(null).assemble(ConfigLoader.parse(yaml, "health.yaml"), transport);
        loops = transport.newGroup(2);
        checker = new HealthChecker(gateway, SCHEDULER, bound -> bound);
        checker.schedule(loops);
    }

    @AfterAll
    static void stop() throws Exception {
        checker.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        gateway.close();
        for (AutoCloseable c : List.of(steady, sick, partlyServing, slow, silent, expired, expiring, dns)) {
            c.close();
        }
    }

    @Test
    @Order(1)
    void checksRunThroughTheGatewaysConnectorAndTurnOriginsUnhealthyForACatalogueReason() {
        SCHEDULER.round();

        OriginStatus once = health("refused").status(0);
        assertThat(once.healthy()).as("one failure is below the threshold of two").isTrue();
        assertThat(once.lastFailure()).isEqualTo("OriginConnectionRefused");
        assertThat(order("refused")).containsExactly(0, 1);

        SCHEDULER.round();

        assertThat(health("refused").status(0).healthy()).isFalse();
        assertThat(health("refused").reason(0)).matches("unhealthy since \\S+Z: OriginConnectionRefused");
        assertThat(order("refused")).as("the picker skips the unhealthy origin").containsExactly(1);
        assertThat(health("refused").status(1).healthy()).isTrue();
        assertThat(health("status").status(0).lastFailure()).isEqualTo("HTTP 503");
        assertThat(health("status").status(0).lastFailureDetail()).contains("expects [200]");
        assertThat(health("silent").status(0).lastFailure()).isEqualTo("OriginResponseTimeout");
        assertThat(health("expired").status(0).lastFailure()).isEqualTo("OriginSslCertificateExpired");
        for (String site : List.of("status", "silent", "expired")) {
            assertThat(health(site).healthy(0)).as(site).isFalse();
            assertThat(order(site)).as(site).containsExactly(1);
        }
        assertThat(gateway.metrics().scrape())
                .contains("telltale_origin_health_transitions_total{origin=\"127.0.0.83:" + steady.port()
                        + "\",site=\"refused\"} 1.0")
                .contains("telltale_origin_healthy{origin=\"127.0.0.83:" + steady.port() + "\",site=\"refused\"} 0.0");

        // The first check of each origin waits up to one interval (this random gives all of it), each next one
        // an interval and up to the jitter after the previous one ended.
        assertThat(SCHEDULER.delays()).contains(INTERVAL_NANOS, INTERVAL_NANOS + JITTER_NANOS)
                .allMatch(d -> d == INTERVAL_NANOS || d == INTERVAL_NANOS + JITTER_NANOS);
    }

    @Test
    @Order(2)
    void anUnhealthyOriginReturnsAfterTheHealthyThresholdOfPassedChecks() throws Exception {
        while (health("refused").healthy(0)) {
            SCHEDULER.round();
        }
        try (NamedOrigin back = NamedOrigin.start("back", new InetSocketAddress(loopback(83), steady.port()))) {
            SCHEDULER.round();

            assertThat(health("refused").healthy(0)).as("one pass is below the threshold of two").isFalse();
            assertThat(order("refused")).containsExactly(1);

            SCHEDULER.round();

            OriginStatus status = health("refused").status(0);
            assertThat(status.healthy()).isTrue();
            assertThat(status.transitions()).isEqualTo(2);
            assertThat(status.lastFailure()).as("the last failure is kept for /origins").isEqualTo("OriginConnectionRefused");
            assertThat(order("refused")).containsExactly(0, 1);
            assertThat(back.requests()).isEqualTo(2);
        }
    }

    @Test
    void anOriginCertificateExpiringInThreeDaysIsWarnedOfWhileItServes() {
        SCHEDULER.round();

        OriginStatus status = health("expiring").status(0);
        assertThat(status.healthy()).isTrue();
        assertThat(status.lastFailure()).isNull();
        assertThat(status.warnings()).containsOnlyKeys(OriginDoctor.CERTIFICATE_EXPIRING);
        assertThat(status.warnings().get(OriginDoctor.CERTIFICATE_EXPIRING)).contains("in 2d 23h")
                .contains("warning window 14d");
        long left = status.certificateNotAfterMillis() - System.currentTimeMillis();
        assertThat((double) left).isCloseTo(Duration.ofDays(3).toMillis(), within(60_000.0));
        String line = gateway.metrics().scrape().lines()
                .filter(l -> l.startsWith("telltale_origin_certificate_expiry_seconds{") && l.contains("site=\"expiring\""))
                .findFirst().orElseThrow();
        double seconds = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        assertThat(seconds).isCloseTo(Duration.ofDays(3).toSeconds(), within(120.0));
    }

    @Test
    void aNameWithOneRefusingAddressAmongGoodOnesIsWarnedOf() {
        SCHEDULER.round();

        OriginStatus status = health("partly").status(0);
        assertThat(status.healthy()).isTrue();
        assertThat(status.warnings().get(OriginDoctor.ADDRESSES_FAILING))
                .isEqualTo("addresses of the name fail while another serves: 127.0.0.84 OriginConnectionRefused");
        assertThat(partlyServing.requests()).isPositive();
    }

    @Test
    void aResponseTimeCreepingTowardTheTimeoutIsWarnedOf() {
        slow.holdResponses();
        int before = slow.requests();
        int begun = SCHEDULER.begin();
        // The answer is held for at least one poll (100 ms), well over 1% of the 5 s timeout.
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).until(() -> slow.requests() > before);
        slow.release();
        SCHEDULER.end(begun);

        OriginStatus status = health("slow").status(0);
        assertThat(status.healthy()).isTrue();
        assertThat(status.warnings().get(OriginDoctor.SLOW_RESPONSE)).matches(
                "the check's response took \\d+ ms, \\d+% of its 5000 ms timeout");
    }

    private static OriginHealth health(String site) {
        return site(site).group().health();
    }

    private static List<Integer> order(String site) {
        int[] order = site(site).group().order(site + ".test", "/", EmptyHttpHeaders.INSTANCE, System.nanoTime());
        List<Integer> list = new ArrayList<>();
        for (int i : order) {
            list.add(i);
        }
        return list;
    }

    private static Site site(String name) {
        return gateway.router().sites().stream().filter(s -> s.config().name().equals(name)).findFirst().orElseThrow();
    }

    private static String site(String name, String check, String first, String second) {
        return """
                  - name: %s
                    hosts: [%s.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: {policy: failover, %s}
                    origins: [%s, %s]
                """.formatted(name, name, check, first, second);
    }

    private static String origin(NamedOrigin o) {
        return "{host: " + o.address() + ", httpPort: " + o.port() + "}";
    }

    private static String tls(TlsOrigin o, String caBundle) {
        return "{host: 127.0.0.1, protocol: https-only, httpsPort: " + o.port() + ", caBundle: '" + caBundle + "'}";
    }

    private static InetAddress loopback(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
