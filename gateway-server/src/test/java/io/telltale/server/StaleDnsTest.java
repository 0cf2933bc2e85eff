package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.lab.dns.LabDnsServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 8767 through the gateway: when every resolver fails, a recently expired answer is used and said so. */
class StaleDnsTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 1
            @    IN SOA ns1 hostmaster 1 3600 600 86400 1
            @    IN NS  ns1
            ns1  IN A   127.0.0.1
            www  IN A   127.0.0.1
            """;

    @Test
    void usesTheExpiredAnswerWhenTheResolverIsGoneAndSaysSo() throws Exception {
        LabDnsServer dns = LabDnsServer.builder().zone(ZONE).start();
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 200ms
                  attempts: 1
                  maxTtl: 1s
                  staleWindow: 1h
                  diagnosisBudget: 300ms
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: www.example.test, httpPort: %d}]
                """.formatted(dns.resolverLiteral(), origin.port()))) {
            RawHttp.Response fresh = GatewayErrors.get(gateway.port(), "www.test", "/echo", "");
            assertThat(fresh.status()).isEqualTo(200);
            assertThat(fresh.header("X-Gateway-Warning")).isNull();

            dns.close();

            // Within a few seconds the one-second answer expires; the resolver is gone, so it is served stale.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                RawHttp.Response stale = GatewayErrors.get(gateway.port(), "www.test", "/echo", "");
                assertThat(stale.status()).isEqualTo(200);
                assertThat(stale.header("X-Gateway-Warning")).startsWith("stale-dns-answer; detail=\"served stale (RFC 8767)");
            });
        } finally {
            dns.close();
        }
    }
}
