package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An origin group's retries: the budget under a burst, Retry-After honoured per origin, and the backoff. */
class RetryBudgetTest {
    private static final int BURST = 10;

    private static NamedOrigin holding;
    private static NamedOrigin pausing;
    private static NamedOrigin steady;
    private static NamedOrigin pausingToo;
    private static NamedOrigin pausingThree;
    private static BrokenOrigin silent;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        holding = NamedOrigin.start("holding", new InetSocketAddress(loopback(41), 0));
        pausing = NamedOrigin.start("pausing", new InetSocketAddress(loopback(42), 0));
        steady = NamedOrigin.start("steady", new InetSocketAddress(loopback(43), 0));
        pausingToo = NamedOrigin.start("pausing-too", new InetSocketAddress(loopback(44), 0));
        pausingThree = NamedOrigin.start("pausing-three", new InetSocketAddress(loopback(46), 0));
        silent = BrokenOrigin.start(OriginFault.SILENT);
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                %s
                %s
                %s
                %s
                %s
                """.formatted(
                site("budget", "{policy: failover, retryBudgetPercent: 0, minRetryConcurrency: 2}",
                        "{host: 127.0.0.45, httpPort: 1080}", origin(holding)),
                site("resting", "{policy: failover}", origin(pausing), origin(steady)),
                site("allresting", "{policy: failover}", origin(pausingToo), origin(pausingThree)),
                site("backoff", "{policy: failover, retryBackoff: 400ms}", "{host: 127.0.0.45, httpPort: 1080}",
                        origin(steady)),
                site("pertry", "{policy: failover, perTryTimeout: 300ms}", "{host: 127.0.0.1, httpPort: "
                        + silent.port() + "}", origin(steady))));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        silent.close();
        for (NamedOrigin o : List.of(holding, pausing, steady, pausingToo, pausingThree)) {
            o.close();
        }
    }

    @Test
    void aBurstAgainstADownPrimaryRetriesNoMoreThanTheBudgetAllows() throws Exception {
        holding.holdResponses();
        ExecutorService clients = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<RawHttp.Response>> responses = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String path = "/burst/" + i;
                responses.add(clients.submit(() -> GatewayErrors.problemGet(gateway.port(), "budget.test", path)));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> responses.stream().filter(Future::isDone).count()
                    == BURST - 2);
            assertThat(holding.requests()).as("retries that reached the secondary").isEqualTo(2);
            for (Future<RawHttp.Response> f : responses) {
                if (f.isDone()) {
                    RawHttp.Response r = f.get();
                    GatewayErrors.assertGatewayError(r, 503, "RetryBudgetExhausted");
                    assertThat(GatewayErrors.evidence(GatewayErrors.problem(r)))
                            .containsEntry("failedWith", "OriginConnectionRefused");
                }
            }
            RawHttp.Response text = GatewayErrors.get(gateway.port(), "budget.test", "/burst/text", "");
            GatewayErrors.assertGatewayError(text, 503, "RetryBudgetExhausted");
            DocExamples.keep("RetryBudgetExhausted", text);

            holding.release();
            long served = 0;
            for (Future<RawHttp.Response> f : responses) {
                served += f.get(10, TimeUnit.SECONDS).status() == 200 ? 1 : 0;
            }
            assertThat(served).isEqualTo(2);
            assertThat(holding.requests()).isEqualTo(2);
        } finally {
            holding.release();
            clients.shutdownNow();
        }
    }

    @Test
    void anOriginsRetryAfterKeepsRequestsAwayFromItForThatLong() throws Exception {
        pausing.answer(503, "Retry-After: 120\r\n");

        RawHttp.Response first = GatewayErrors.get(gateway.port(), "resting.test", "/a", "");
        RawHttp.Response second = GatewayErrors.get(gateway.port(), "resting.test", "/b", "");

        assertThat(first.bodyText()).isEqualTo("steady");
        assertThat(first.header("X-Gateway-Failover")).contains("HTTP 503");
        assertThat(second.bodyText()).isEqualTo("steady");
        assertThat(second.header("X-Gateway-Failover")).as("the resting origin was not tried").isNull();
        assertThat(pausing.requests()).isEqualTo(1);
    }

    @Test
    void whenEveryOriginRestsNoHealthyOriginIsLeft() throws Exception {
        pausingToo.answer(503, "Retry-After: 120\r\n");
        pausingThree.answer(503, "Retry-After: Fri, 31 Dec 2100 23:59:59 GMT\r\n");

        RawHttp.Response first = GatewayErrors.get(gateway.port(), "allresting.test", "/a", "");
        RawHttp.Response second = GatewayErrors.problemGet(gateway.port(), "allresting.test", "/b");

        assertThat(first.status()).as("the last origin's own 503 is passed through").isEqualTo(503);
        assertThat(first.bodyText()).isEqualTo("pausing-three");
        GatewayErrors.assertGatewayError(second, 503, "NoHealthyOrigin");
        assertThat(GatewayErrors.evidence(GatewayErrors.problem(second)).get("origins").toString())
                .contains("127.0.0.44:" + pausingToo.port() + " rests 1").contains("(Retry-After)");
        assertThat(pausingToo.requests() + pausingThree.requests()).isEqualTo(2);
        RawHttp.Response text = GatewayErrors.get(gateway.port(), "allresting.test", "/c", "");
        GatewayErrors.assertGatewayError(text, 503, "NoHealthyOrigin");
        DocExamples.keep("NoHealthyOrigin", text);
    }

    @Test
    void aRetryWaitsAtLeastHalfItsBackoff() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "backoff.test", "/", "");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.bodyText()).isEqualTo("steady");
        assertThat(millis).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aPerTryTimeoutMovesOnLongBeforeTheOriginsOwnResponseTimeout() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "pertry.test", "/", "");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.bodyText()).isEqualTo("steady");
        assertThat(r.header("X-Gateway-Failover")).contains("OriginResponseTimeout (response)");
        // The origin's own responseTimeout is the default 30 s.
        assertThat(millis).isLessThan(15_000);
    }

    private static String site(String name, String group, String first, String second) {
        return """
                  - name: %s
                    hosts: [%s.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: %s
                    origins: [%s, %s]
                """.formatted(name, name, group, first, second);
    }

    private static String origin(NamedOrigin o) {
        return "{host: " + o.address() + ", httpPort: " + o.port() + "}";
    }

    private static InetAddress loopback(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
