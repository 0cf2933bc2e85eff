package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.FlappingOrigin.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Errors that never outlive an outage (issue 19), through the real gateway in front of an origin that flaps between
 * healthy, refusing, resetting, 503 and stalling, on the cache's injected clock: only the test moves time.
 */
class FlappingOriginTest {
    private final TestClock clock = new TestClock();
    private FlappingOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new FlappingOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 10s, serveStaleOnError: 1h, collapseStall: 100ms}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 1s}]
                  - name: slow
                    hosts: [slow.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {collapseStall: 100ms}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 20s}]
                """.formatted(origin.port()), clock);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response fetch(String path) throws IOException {
        return fetch("www.test", path);
    }

    private RawHttp.Response fetch(String host, String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void endsAStoredErrorWithTheFirstSuccessAfterTheOriginRecovers() throws IOException {
        origin.mode(Mode.REFUSING);
        RawHttp.Response refused = fetch("/obj/a");
        RawHttp.Response kept = fetch("/obj/a");
        origin.mode(Mode.HEALTHY);
        RawHttp.Response withinTheInterval = fetch("/obj/a");

        assertThat(refused.status()).isEqualTo(521);
        assertThat(kept.status()).isEqualTo(521);
        assertThat(kept.header("Cache-Status")).isEqualTo("telltale; hit; ttl=10; detail=OriginConnectionRefused");
        assertThat(withinTheInterval.status()).as("the interval's probe was the first request").isEqualTo(521);
        assertThat(origin.requestsFor("/obj/a")).isZero();

        clock.advance(Duration.ofSeconds(1));
        RawHttp.Response probe = fetch("/obj/a");
        RawHttp.Response after = fetch("/obj/a");

        assertThat(probe.status()).isEqualTo(200);
        assertThat(probe.bodyText()).isEqualTo(FlappingOrigin.body("a"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.header("X-Cache")).as("the error ended: the stored object answers").isEqualTo("Hit from gateway");
        assertThat(origin.requestsFor("/obj/a")).isEqualTo(1);
    }

    @Test
    void keepsTheStoredObjectThroughAnOutageAndRevalidatesItWithA304() throws IOException {
        origin.cacheControl("max-age=1");
        assertThat(fetch("/obj/b").status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        origin.mode(Mode.RESETTING);

        RawHttp.Response failed = fetch("/obj/b");
        long duringOutage = origin.requestsFor("/obj/b");
        RawHttp.Response kept = fetch("/obj/b");
        RawHttp.Response asked = fetch("/obj/b");

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.bodyText()).isEqualTo(FlappingOrigin.body("b"));
        assertThat(failed.header("Cache-Status")).matches("telltale; fwd=stale; ttl=-\\d; detail=OriginConnectionClosed");
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.bodyText()).isEqualTo(FlappingOrigin.body("b"));
        assertThat(kept.header("Cache-Status")).as("answered beside the kept failure, without the origin")
                .matches("telltale; hit; ttl=-\\d; detail=OriginConnectionClosed");
        assertThat(asked.status()).isEqualTo(200);
        assertThat(origin.requestsFor("/obj/b")).isEqualTo(duringOutage);

        origin.mode(Mode.HEALTHY);
        clock.advance(Duration.ofSeconds(1));
        RawHttp.Response revalidated = fetch("/obj/b");
        RawHttp.Response hit = fetch("/obj/b");

        assertThat(revalidated.status()).isEqualTo(200);
        assertThat(revalidated.header("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(revalidated.bodyText()).isEqualTo(FlappingOrigin.body("b"));
        FlappingOrigin.Request last = origin.requests().get(origin.requests().size() - 1);
        assertThat(last.header("if-none-match")).isEqualTo("\"b\"");
        assertThat(last.status()).as("revalidated, not refetched in full").isEqualTo(304);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
    }

    @Test
    void letsOneRequestPerObjectPerIntervalThroughWhileAFailureIsServed() throws IOException {
        origin.mode(Mode.RESETTING);
        assertThat(fetch("/obj/c").status()).isEqualTo(502);
        for (int i = 0; i < 20; i++) {
            assertThat(fetch("/obj/c").header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionClosed");
        }
        assertThat(origin.requestsFor("/obj/c")).isEqualTo(1);

        for (int second = 1; second <= 3; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 20; i++) {
                assertThat(fetch("/obj/c").status()).isEqualTo(502);
            }
            assertThat(origin.requestsFor("/obj/c")).as("after %d s", second).isEqualTo(1 + second);
        }
    }

    @Test
    void keepsAStalledOriginsTimeoutBrieflyAndLetsTheProbeThrough() throws IOException {
        origin.mode(Mode.STALLING);
        RawHttp.Response timedOut = fetch("/obj/d");
        RawHttp.Response kept = fetch("/obj/d");
        origin.mode(Mode.HEALTHY);
        clock.advance(Duration.ofSeconds(1));
        RawHttp.Response recovered = fetch("/obj/d");

        assertThat(timedOut.status()).isEqualTo(524);
        assertThat(kept.header("Cache-Status")).isEqualTo("telltale; hit; ttl=10; detail=OriginResponseTimeout");
        assertThat(recovered.status()).isEqualTo(200);
        assertThat(origin.requestsFor("/obj/d")).isEqualTo(2);
    }

    @Test
    void keepsAn503NoLongerThanItsRetryAfter() throws IOException {
        origin.mode(Mode.UNAVAILABLE);
        origin.unavailableCacheControl("max-age=600");
        RawHttp.Response busy = fetch("/obj/e");
        RawHttp.Response kept = fetch("/obj/e");

        assertThat(busy.status()).isEqualTo(503);
        assertThat(kept.status()).isEqualTo(503);
        assertThat(kept.header("Cache-Status")).as("a second at most, not 600").matches("telltale; hit; ttl=[01]");
        assertThat(origin.requestsFor("/obj/e")).isEqualTo(1);

        origin.mode(Mode.HEALTHY);
        clock.advance(Duration.ofSeconds(1));
        RawHttp.Response recovered = fetch("/obj/e");

        assertThat(recovered.status()).isEqualTo(200);
        assertThat(recovered.bodyText()).isEqualTo(FlappingOrigin.body("e"));
    }

    @Test
    void givesTheStoredCopyInPlaceOfAn503WithoutFreshness() throws IOException {
        origin.cacheControl("max-age=1");
        fetch("/obj/f");
        clock.advance(Duration.ofSeconds(2));
        origin.mode(Mode.UNAVAILABLE);

        RawHttp.Response stale = fetch("/obj/f");
        RawHttp.Response again = fetch("/obj/f");

        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo(FlappingOrigin.body("f"));
        assertThat(stale.header("Cache-Status")).matches("telltale; fwd=stale; fwd-status=503; ttl=-\\d");
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void detachesFollowersFromAStalledLeaderAndNeverClaimsStoredForIt() throws IOException {
        origin.mode(Mode.TRICKLING);
        try (RawHttp leader = gateway.client(); RawHttp follower = gateway.client()) {
            leader.send("GET /obj/g HTTP/1.1\r\nHost: slow.test\r\n\r\n");
            RawHttp.Response leaderHead = leader.read(true);
            assertThat(leader.readBytes(FlappingOrigin.TRICKLED)).hasSize(FlappingOrigin.TRICKLED);
            follower.send("GET /obj/g HTTP/1.1\r\nHost: slow.test\r\n\r\n");
            RawHttp.Response followerHead = follower.read(true);
            byte[] first = follower.readBytes(FlappingOrigin.TRICKLED);
            assertThat(origin.requestsFor("/obj/g")).as("the follower joined the leader's fill").isEqualTo(1);

            origin.mode(Mode.HEALTHY);
            clock.advance(Duration.ofSeconds(1));
            byte[] rest = follower.readBytes(FlappingOrigin.BODY_LENGTH - FlappingOrigin.TRICKLED);

            assertThat(leaderHead.status()).isEqualTo(200);
            assertThat(leaderHead.header("Cache-Status")).isEqualTo("telltale; fwd=uri-miss");
            assertThat(followerHead.header("Cache-Status")).isEqualTo("telltale; fwd=uri-miss; collapsed");
            assertThat(new String(first, StandardCharsets.US_ASCII) + new String(rest, StandardCharsets.US_ASCII))
                    .as("the follower fetched the rest on its own").isEqualTo(FlappingOrigin.body("g"));
            FlappingOrigin.Request resumed = origin.requests().get(origin.requests().size() - 1);
            assertThat(resumed.header("range")).isEqualTo("bytes=" + FlappingOrigin.TRICKLED + "-");
            assertThat(resumed.header("if-range")).isEqualTo("\"g\"");
            assertThat(resumed.status()).isEqualTo(206);

            RawHttp.Response newcomer = fetch("slow.test", "/obj/g");
            assertThat(newcomer.bodyText()).as("a stalled fill is joined no more").isEqualTo(FlappingOrigin.body("g"));
            assertThat(newcomer.header("Cache-Status")).isEqualTo("telltale; fwd=uri-miss; stored");
            await().atMost(Duration.ofSeconds(10)).until(() -> origin.requestsFor("/obj/g") == 3);
        }
        assertThat(fetch("slow.test", "/obj/g").header("X-Cache")).isEqualTo("Hit from gateway");
    }
}
