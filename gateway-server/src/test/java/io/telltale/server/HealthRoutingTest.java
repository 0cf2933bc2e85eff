package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health checks in a running gateway, on the event loops' own timers: requests skip an origin its checks found
 * unhealthy, a group whose origins are all unhealthy answers {@code NoHealthyOrigin} naming why, and the admin
 * listener's {@code /origins} and {@code /metrics} show each origin's state.
 */
class HealthRoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NamedOrigin second;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        second = NamedOrigin.start("second", new InetSocketAddress(loopback(92), 0));
        int port = second.port();
        String check = "healthCheck: {interval: 100ms, timeout: 5s, unhealthyThreshold: 2, jitter: 0ms}";
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                %s%s  - name: plain
                    hosts: [plain.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.92, httpPort: %d}]
                """.formatted(
                site("checked", check, "{host: 127.0.0.91, httpPort: " + port + "}", "{host: 127.0.0.92, httpPort: "
                        + port + "}"),
                site("alldown", check, "{host: 127.0.0.93, httpPort: " + port + "}", "{host: 127.0.0.94, httpPort: "
                        + port + "}"),
                port));
        await().atMost(Duration.ofSeconds(10)).until(() -> state("checked", 0).equals("unhealthy")
                && state("checked", 1).equals("healthy") && state("alldown", 0).equals("unhealthy")
                && state("alldown", 1).equals("unhealthy"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        second.close();
    }

    @Test
    void aRequestSkipsTheOriginItsChecksFoundUnhealthy() throws Exception {
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "checked.test", "/", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("second");
        assertThat(r.header("X-Gateway-Failover")).as("the unhealthy origin was not tried").isNull();
    }

    @Test
    void aGroupWhoseOriginsAreAllUnhealthyNamesWhyEachIsLeftOut() throws Exception {
        RawHttp.Response r = GatewayErrors.problemGet(gateway.port(), "alldown.test", "/");

        GatewayErrors.assertGatewayError(r, 503, "NoHealthyOrigin");
        Map<String, Object> problem = GatewayErrors.problem(r);
        assertThat(GatewayErrors.evidence(problem).get("origins")).asList().hasSize(2)
                .allSatisfy(o -> assertThat(o.toString()).matches(
                        "127\\.0\\.0\\.9[34]:" + second.port() + " unhealthy since \\S+Z: OriginConnectionRefused"));
    }

    @Test
    void originsShowsEachOriginsStateLastFailureAndWarnings() throws Exception {
        Map<String, Object> checked = site("checked");
        assertThat(checked).containsEntry("policy", "failover").containsEntry("healthChecks", true);
        Map<String, Object> down = origin("checked", 0);
        assertThat(down).containsEntry("origin", "127.0.0.91:" + second.port()).containsEntry("state", "unhealthy")
                .containsEntry("lastFailure", "OriginConnectionRefused").containsEntry("warnings", List.of())
                .containsEntry("ejections", 0);
        assertThat((String) down.get("since")).endsWith("Z");
        assertThat((String) down.get("lastFailureDetail")).contains("refused");
        assertThat(origin("checked", 1)).containsEntry("state", "healthy");
        assertThat(origin("plain", 0)).containsEntry("state", "unchecked");
        assertThat(Metrics.read(gateway, "telltale_origin_healthy")).isIn(0L, 1L);
        String metrics;
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            metrics = admin.send("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
        assertThat(metrics).contains("telltale_origin_healthy{origin=\"127.0.0.91:" + second.port()
                + "\",site=\"checked\"} 0.0").contains("telltale_origin_healthy{origin=\"127.0.0.92:" + second.port()
                + "\",site=\"checked\"} 1.0");
    }

    private static String state(String site, int origin) throws IOException {
        return (String) origin(site, origin).get("state");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> origin(String site, int origin) throws IOException {
        return ((List<Map<String, Object>>) site(site).get("origins")).get(origin);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> site(String name) throws IOException {
        String body;
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response r = admin.send("GET /origins HTTP/1.1\r\nHost: admin\r\n\r\n").read();
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            body = r.bodyText();
        }
        List<Map<String, Object>> sites = (List<Map<String, Object>>) JSON.readValue(body, Map.class).get("sites");
        return sites.stream().filter(s -> name.equals(s.get("site"))).findFirst().orElseThrow();
    }

    private static String site(String name, String check, String first, String second) {
        return """
                  - name: %s
                    hosts: [%s.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: {policy: failover, %s}
                    origins: [%s, %s]
                """.formatted(name, name, check, first, second);
    }

    private static InetAddress loopback(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
