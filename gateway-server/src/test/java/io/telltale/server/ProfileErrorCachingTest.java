package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.FlappingOrigin.Mode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CDN profile's error-caching default through the real gateway: the profile sets how long a gateway failure is
 * kept (issue 19's mechanism, beside any stored object), Cloudflare keeping none and Akamai ten seconds, unless the
 * site sets {@code errorTtl} itself.
 */
class ProfileErrorCachingTest {
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
                  - name: cloudflare
                    hosts: [cloudflare.test]
                    profile: cloudflare-full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {collapseStall: 100ms}
                    origins: [{host: 127.0.0.1, httpPort: %1$d}]
                  - name: cloudflare-own
                    hosts: [cloudflare-own.test]
                    profile: cloudflare-full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 5s, collapseStall: 100ms}
                    origins: [{host: 127.0.0.1, httpPort: %1$d}]
                  - name: akamai
                    hosts: [akamai.test]
                    profile: akamai
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %1$d}]
                """.formatted(origin.port()), clock);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response fetch(String host, String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void cloudflareKeepsNoGatewayFailureSoEveryRequestTriesTheOriginAgain() throws IOException {
        origin.mode(Mode.REFUSING);
        RawHttp.Response first = fetch("cloudflare.test", "/obj/a");
        RawHttp.Response second = fetch("cloudflare.test", "/obj/a");
        origin.mode(Mode.HEALTHY);
        RawHttp.Response recovered = fetch("cloudflare.test", "/obj/a");

        assertThat(first.status()).isEqualTo(521);
        assertThat(second.status()).isEqualTo(521);
        assertThat(second.header("Cache-Status")).doesNotContain("hit");
        assertThat(recovered.status()).as("no failure kept, no interval to wait out").isEqualTo(200);
    }

    @Test
    void akamaiKeepsAGatewayFailureTenSecondsBesideTheStoredObject() throws IOException {
        origin.mode(Mode.REFUSING);
        fetch("akamai.test", "/obj/a");
        RawHttp.Response kept = fetch("akamai.test", "/obj/a");

        assertThat(kept.header("Cache-Status")).isEqualTo("telltale; hit; ttl=10; detail=OriginConnectionRefused");
        assertThat(kept.header("X-Telltale-Cdn-Error")).isEqualTo("ERR_CONNECT_FAIL");

        origin.mode(Mode.HEALTHY);
        clock.advance(Duration.ofSeconds(1));
        assertThat(fetch("akamai.test", "/obj/a").status()).as("the one request through each second").isEqualTo(200);
    }

    @Test
    void aSitesOwnErrorTtlWinsOverItsProfile() throws IOException {
        origin.mode(Mode.REFUSING);
        fetch("cloudflare-own.test", "/obj/a");
        RawHttp.Response kept = fetch("cloudflare-own.test", "/obj/a");

        assertThat(kept.status()).isEqualTo(521);
        assertThat(kept.header("Cache-Status")).isEqualTo("telltale; hit; ttl=5; detail=OriginConnectionRefused");
    }
}
