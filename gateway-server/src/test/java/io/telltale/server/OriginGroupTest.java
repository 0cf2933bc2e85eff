package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Origin groups through the gateway, with real loopback origins on several 127.0.0.x addresses: failover on
 * each failure class and on the configured statuses, and the balancing policies' shares.
 */
class OriginGroupTest {
    private static NamedOrigin primary;
    private static NamedOrigin secondary;
    private static NamedOrigin third;
    private static BrokenOrigin silent;
    private static BrokenOrigin blackhole;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        primary = NamedOrigin.start("primary", new InetSocketAddress(loopback(31), 0));
        secondary = NamedOrigin.start("secondary", new InetSocketAddress(loopback(32), 0));
        third = NamedOrigin.start("third", new InetSocketAddress(loopback(33), 0));
        silent = BrokenOrigin.start(OriginFault.SILENT);
        blackhole = BrokenOrigin.blackholeAt(new InetSocketAddress(loopback(34), 0));
        String second = origin(secondary);
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                %s
                """.formatted(
                site("refused", "{policy: failover}", "{host: 127.0.0.35, httpPort: 1080}", second),
                site("tls", "{policy: failover}", "{host: 127.0.0.31, protocol: https-only, httpsPort: "
                        + primary.port() + ", tlsHandshakeTimeout: 300ms}", second),
                site("timeout", "{policy: failover}", "{host: 127.0.0.1, httpPort: " + silent.port()
                        + ", responseTimeout: 300ms}", second),
                site("blackhole", "{policy: failover}", "{host: 127.0.0.34, httpPort: " + blackhole.port()
                        + ", connectTimeout: 300ms}", second),
                site("status", "{policy: failover}", origin(primary), second),
                site("narrow", "{policy: failover, failoverStatuses: [503]}", origin(primary), second),
                site("plain", null, origin(primary), second),
                site("weighted", "{policy: round-robin}", origin(primary, 3), origin(secondary, 1)),
                site("least", "{policy: least-request}", origin(primary, 1), origin(secondary, 3)),
                site("sticky", "{policy: hash, hashOn: 'cookie:session'}", origin(primary), second + ", "
                        + origin(third)),
                site("alldown", "{policy: failover}", "{host: 127.0.0.35, httpPort: 1080}",
                        "{host: 127.0.0.36, httpPort: 1080}"),
                site("mixeddown", "{policy: failover}", origin(primary), "{host: 127.0.0.36, httpPort: 1080}"),
                site("quiet", "{policy: failover}", "{host: 127.0.0.35, httpPort: 1080}", second)
                        .replace("detail: full", "detail: public"),
                site("ejecting", "{policy: failover, outlierDetection: {consecutiveFailures: 2, baseEjectionTime: 1h}}",
                        "{host: 127.0.0.37, httpPort: 1080}", second)));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        primary.close();
        secondary.close();
        third.close();
        silent.close();
        blackhole.close();
    }

    @BeforeEach
    void healthy() {
        primary.answer(200, "");
    }

    @Test
    void aRefusedPrimaryFailsOverAndTheResponseSaysWhy() throws Exception {
        RawHttp.Response r = get("refused");

        assertThat(r.bodyText()).isEqualTo("secondary");
        assertThat(r.header("X-Gateway-Failover")).startsWith("served=\"127.0.0.32:" + secondary.port() + " 127.0.0.32\"")
                .contains("127.0.0.35:1080 127.0.0.35 OriginConnectionRefused (connect)");
    }

    @Test
    void aTlsFailureFailsOver() throws Exception {
        RawHttp.Response r = get("tls");

        assertThat(r.bodyText()).isEqualTo("secondary");
        assertThat(r.header("X-Gateway-Failover")).contains("OriginSslHandshakeFailed (tls)");
    }

    @Test
    void aResponseTimeoutFailsOverAGet() throws Exception {
        RawHttp.Response r = get("timeout");

        assertThat(r.bodyText()).isEqualTo("secondary");
        assertThat(r.header("X-Gateway-Failover")).contains("OriginResponseTimeout (response)");
    }

    @Test
    void aConnectTimeoutFailsOver() throws Exception {
        RawHttp.Response r = get("blackhole");

        assertThat(r.bodyText()).isEqualTo("secondary");
        assertThat(r.header("X-Gateway-Failover")).contains("OriginConnectTimeout (connect)");
    }

    @Test
    void eachDefaultStatusFailsOverAsCloudFrontOriginGroupsDo() throws Exception {
        for (int status : new int[] {500, 502, 503, 504, 403, 404}) {
            primary.answer(status, "");

            RawHttp.Response r = get("status");

            assertThat(r.status()).as("after %d", status).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("secondary");
            assertThat(r.header("X-Gateway-Failover")).contains("HTTP " + status + " (response)");
        }
    }

    @Test
    void aStatusOutsideTheConfiguredSetIsPassedThrough() throws Exception {
        primary.answer(500, "");

        RawHttp.Response r = get("narrow");

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).isEqualTo("primary");
    }

    @Test
    void aPostIsNeverSentToASecondOriginAfterTheFirstAnswered() throws Exception {
        primary.answer(503, "");
        try (RawHttp client = gateway.client()) {
            RawHttp.Response r = client.send("POST / HTTP/1.1\r\nHost: status.test\r\nContent-Length: 2\r\n\r\nhi").read();

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).isEqualTo("primary");
        }
    }

    @Test
    void aSiteWithoutAGroupKeepsPassingStatusesThrough() throws Exception {
        primary.answer(503, "");

        RawHttp.Response r = get("plain");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("X-Gateway-Failover")).isNull();
    }

    @Test
    void roundRobinHonoursTheWeights() throws Exception {
        Map<String, Integer> served = serve("weighted", 400);

        assertThat(served.get("primary")).isEqualTo(300);
        assertThat(served.get("secondary")).isEqualTo(100);
    }

    @Test
    void leastRequestHonoursTheWeightsWithinATolerance() throws Exception {
        Map<String, Integer> served = serve("least", 400);

        assertThat(served.get("secondary") / 400.0).isCloseTo(0.75, within(0.1));
    }

    @Test
    void hashingOnACookieKeepsEachSessionOnOneOrigin() throws Exception {
        Map<String, String> firstOrigin = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int session = 0; session < 30; session++) {
                String id = "s" + session;
                RawHttp.Response r = GatewayErrors.get(gateway.port(), "sticky.test", "/page" + round,
                        "Cookie: theme=dark; session=" + id + "\r\n");
                firstOrigin.merge(id, r.bodyText(), (was, now) -> {
                    assertThat(now).as("session %s", id).isEqualTo(was);
                    return was;
                });
            }
        }
        assertThat(firstOrigin.values()).contains("primary", "secondary", "third");
    }

    @Test
    void whenEveryOriginIsDownEachAttemptIsListedInOrderInEveryFormatAndTheJournal() throws Exception {
        RawHttp.Response json = GatewayErrors.problemGet(gateway.port(), "alldown.test", "/");

        GatewayErrors.assertGatewayError(json, 521, "OriginConnectionRefused");
        List<Map<String, Object>> attempts = attempts(GatewayErrors.problem(json));
        assertThat(attempts).extracting(a -> a.get("origin")).containsExactly("127.0.0.35:1080", "127.0.0.36:1080");
        assertThat(attempts).extracting(a -> a.get("address")).containsExactly("127.0.0.35", "127.0.0.36");
        assertThat(attempts).allSatisfy(a -> assertThat(a).containsEntry("result", "OriginConnectionRefused")
                .containsEntry("phase", "connect").containsKeys("atMillis", "millis"));

        // Each format asks for its own path: a repeated one would be answered by the briefly cached error.
        RawHttp.Response text = GatewayErrors.get(gateway.port(), "alldown.test", "/text", "Accept: text/plain\r\n");
        assertThat(text.bodyText()).contains("Attempts, in order:\n"
                + "  - 127.0.0.35:1080 127.0.0.35 OriginConnectionRefused (connect) at ")
                .contains("  - 127.0.0.36:1080 127.0.0.36 OriginConnectionRefused (connect) at ");
        RawHttp.Response html = GatewayErrors.get(gateway.port(), "alldown.test", "/html", "Accept: text/html\r\n");
        assertThat(html.bodyText()).contains("<h2>Attempts</h2><ol><li>127.0.0.35:1080 127.0.0.35 OriginConnectionRefused");

        RawHttp.Response journal = GatewayErrors.get(gateway.adminPort(), "127.0.0.1",
                "/failures/" + json.header("X-Request-Id"), "");
        assertThat(attempts(GatewayErrors.json(journal.bodyText()))).extracting(a -> a.get("address"))
                .containsExactly("127.0.0.35", "127.0.0.36");
    }

    @Test
    void anOriginStatusThatFailedOverIsListedBeforeTheLastOriginsFailure() throws Exception {
        primary.answer(503, "Retry-After: 1\r\n");

        RawHttp.Response r = GatewayErrors.problemGet(gateway.port(), "mixeddown.test", "/");

        GatewayErrors.assertGatewayError(r, 521, "OriginConnectionRefused");
        assertThat(attempts(GatewayErrors.problem(r))).extracting(a -> a.get("result"), a -> a.get("phase"))
                .containsExactly(tuple("HTTP 503", "response"), tuple("OriginConnectionRefused", "connect"));
    }

    @Test
    void publicVisitorsAreNotToldWhichOriginsFailed() throws Exception {
        RawHttp.Response r = get("quiet");

        assertThat(r.bodyText()).isEqualTo("secondary");
        assertThat(r.header("X-Gateway-Failover")).isNull();
    }

    @Test
    void anOriginFailingInARowIsEjectedAndNoLongerTried() throws Exception {
        assertThat(get("ejecting").header("X-Gateway-Failover")).contains("OriginConnectionRefused");
        assertThat(get("ejecting").header("X-Gateway-Failover")).contains("OriginConnectionRefused");

        RawHttp.Response afterEjection = get("ejecting");

        assertThat(afterEjection.bodyText()).isEqualTo("secondary");
        assertThat(afterEjection.header("X-Gateway-Failover")).as("the ejected primary was not tried").isNull();
        String metrics;
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            metrics = admin.send("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
        assertThat(metrics.lines().filter(l -> l.startsWith("telltale_origin_ejections_total{")
                && l.contains("site=\"ejecting\"")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).sorted())
                .as("the primary ejected once, the secondary never").containsExactly("0.0", "1.0");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> attempts(Map<String, Object> body) {
        assertThat(body).containsKey("attempts");
        return (List<Map<String, Object>>) body.get("attempts");
    }

    private static Map<String, Integer> serve(String site, int requests) throws Exception {
        Map<String, Integer> served = new HashMap<>();
        try (RawHttp client = gateway.client()) {
            for (int i = 0; i < requests; i++) {
                RawHttp.Response r = client.send("GET /" + i + " HTTP/1.1\r\nHost: " + site + ".test\r\n\r\n").read();
                served.merge(r.bodyText(), 1, Integer::sum);
            }
        }
        return served;
    }

    private static RawHttp.Response get(String site) throws Exception {
        return GatewayErrors.get(gateway.port(), site + ".test", "/", "");
    }

    private static String site(String name, String group, String first, String second) {
        return """
                  - name: %s
                    hosts: [%s.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                %s    origins: [%s, %s]
                """.formatted(name, name, group == null ? "" : "    originGroup: " + group + "\n", first, second);
    }

    private static String origin(NamedOrigin o) {
        return origin(o, 1);
    }

    private static String origin(NamedOrigin o, int weight) {
        return "{host: " + o.address() + ", httpPort: " + o.port() + ", weight: " + weight + "}";
    }

    private static InetAddress loopback(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
