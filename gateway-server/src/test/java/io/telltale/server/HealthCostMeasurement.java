package io.telltale.server;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.ResourceLeakDetector;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test but a measurement (nothing is asserted): the cost of active health checks at 1,000 origins (checks
 * per second and the process CPU per check, the in-process origin's share included, so an upper bound) and the
 * extra latency of a failover (a request whose primary refuses against one its primary serves). Run it alone, on
 * a quiet machine:
 * {@code mvn -B -q test -pl gateway-server -am -Dtest=HealthCostMeasurement -Dtelltale.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dtelltale.measure.origins=N}, default 1000;
 * {@code -Dtelltale.measure.requests=N}, default 2000).
 */
@EnabledIfSystemProperty(named = "telltale.measure", matches = "true")
class HealthCostMeasurement {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_SITE = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration MEASURED = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        // The tests' paranoid leak detector tracks every buffer with objects of its own: not what a gateway does.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HEALTHY)) {
            healthChecks(origin.port(), Integer.getInteger("telltale.measure.origins", 1000));
            failover(origin.port(), Integer.getInteger("telltale.measure.requests", 2000));
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private static void healthChecks(int port, int origins) throws Exception {
        StringBuilder sites = new StringBuilder();
        for (int s = 0; s * PER_SITE < origins; s++) {
            StringBuilder list = new StringBuilder();
            for (int o = s * PER_SITE; o < Math.min(origins, (s + 1) * PER_SITE); o++) {
                list.append(list.length() == 0 ? "" : ", ").append("{host: 127.0.0.1, httpPort: ").append(port)
                        .append("}");
            }
            sites.append("""
                      - name: checked%d
                        hosts: [checked%d.test]
                        allowedOriginNetworks: [127.0.0.0/8]
                        originGroup: {policy: round-robin, healthCheck: {interval: 1s, jitter: 100ms, timeout: 2s}}
                        origins: [%s]
                    """.formatted(s, s, list));
        }
        try (GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                %s""".formatted(sites))) {
            await().pollDelay(WARM_UP).atMost(WARM_UP.plusSeconds(5)).until(() -> true);
            long checksBefore = checks(gateway);
            long cpuBefore = cpuNanos();
            long start = System.nanoTime();
            await().pollDelay(MEASURED).atMost(MEASURED.plusSeconds(5)).until(() -> true);
            double seconds = (System.nanoTime() - start) / 1e9;
            long checks = checks(gateway) - checksBefore;
            double cpuMillis = (cpuNanos() - cpuBefore) / 1e6;
            System.out.printf("health checks: %d origins every 1 s (jitter 100 ms): %.0f checks/s, %.1f%% of one core,"
                    + " %.3f ms CPU per check (gateway and in-process origin)%n", origins, checks / seconds,
                    cpuMillis / seconds / 10, cpuMillis / Math.max(1, checks));
        }
    }

    private static void failover(int port, int requests) throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: direct
                    hosts: [direct.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: {policy: failover}
                    origins: [{host: 127.0.0.1, httpPort: %1$d}]
                  - name: failover
                    hosts: [failover.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: {policy: failover, minRetryConcurrency: 1000}
                    origins: [{host: 127.0.0.2, httpPort: %1$d}, {host: 127.0.0.1, httpPort: %1$d}]
                """.formatted(port))) {
            latencies(gateway, "direct.test", "/warm/", requests / 4);
            latencies(gateway, "failover.test", "/warm/", requests / 4);
            long[] direct = latencies(gateway, "direct.test", "/measured/", requests);
            long[] failover = latencies(gateway, "failover.test", "/measured/", requests);
            System.out.printf("failover: %d requests each on new connections: served directly p50 %d us, p99 %d us;"
                    + " after a refused primary p50 %d us, p99 %d us: the failover costs %d us at the median%n",
                    requests, percentile(direct, 50), percentile(direct, 99), percentile(failover, 50),
                    percentile(failover, 99), percentile(failover, 50) - percentile(direct, 50));
        }
    }

    /** Returns the sorted latencies of requests for distinct paths under the prefix, so none is a cache hit. */
    private static long[] latencies(GatewayFixture gateway, String host, String prefix, int requests) throws Exception {
        long[] micros = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            RawHttp.Response r = GatewayErrors.get(gateway.port(), host, prefix + i, "");
            micros[i] = (System.nanoTime() - start) / 1000;
            if (r.status() != 200) {
                throw new IllegalStateException(host + " answered " + r.status() + ": " + r.bodyText());
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static long checks(GatewayFixture gateway) throws Exception {
        String body;
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            body = admin.send("GET /origins HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
        long total = 0;
        for (JsonNode site : JSON.readTree(body).get("sites")) {
            for (JsonNode origin : site.get("origins")) {
                total += origin.get("checks").asLong();
            }
        }
        return total;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
