package io.telltale.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.server.lab.dns.LabDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** A cluster named by DNS (a headless Service): its nodes follow the name's records as their TTL runs out. */
class PeerDiscoveryTest {
    private static final String ZONE = """
            $ORIGIN cluster.test.
            $TTL 1
            @      IN SOA ns1 hostmaster 1 3600 600 86400 1
            @      IN NS  ns1
            ns1    IN A   127.0.0.1
            peers  IN A   127.0.0.11
            peers  IN A   127.0.0.12
            """;

    @Test
    void followsTheNamesRecordsThroughTheGatewaysResolver() throws Exception {
        LabDnsServer dns = LabDnsServer.builder().zone(ZONE).start();
        // Asked only once the first is gone: the name's records as they are after a third node joined.
        LabDnsServer later = LabDnsServer.builder().zone(ZONE + "peers  IN A   127.0.0.13\n").start();
        GatewayConfig config = ConfigLoader.parse("""
                dns: {resolvers: ["%s", "%s"], queryTimeout: 200ms, attempts: 1, staleWindow: 0s}
                cluster: {peerName: peers.cluster.test, peerPort: 20410, secret: discovery-test-secret-0123}
                sites: [{name: www, hosts: [www.test], allowedOriginNetworks: [127.0.0.0/8], origins: [{host: 127.0.0.1, httpPort: 1025}]}]
                """.formatted(dns.resolverLiteral(), later.resolverLiteral()), "test.yaml");
        ExecutorService dnsThreads = Executors.newSingleThreadExecutor();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        ClusterNodes nodes = new ClusterNodes("127.0.0.11:20410"::equals, List.of(), Duration.ofSeconds(10).toNanos(),
                System::nanoTime);
        try (DnsjavaOriginResolver resolver = new DnsjavaOriginResolver(config.dns(), System::nanoTime, dnsThreads)) {
            new PeerDiscovery(resolver, "peers.cluster.test", 20410, Duration.ofSeconds(30), nodes, timer).start();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(nodes.names()).containsExactly("127.0.0.11:20410", "127.0.0.12:20410"));
            assertThat(nodes.self()).isEqualTo("127.0.0.11:20410");
            assertThat(nodes.others()).containsExactly("127.0.0.12:20410");

            dns.close();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nodes.names())
                    .containsExactly("127.0.0.11:20410", "127.0.0.12:20410", "127.0.0.13:20410"));
        } finally {
            timer.shutdownNow();
            dnsThreads.shutdownNow();
            dns.close();
            later.close();
        }
    }

    @Test
    void givesALostOwnersKeysToTheNextNodeUntilItsDownTimeIsOver() {
        long[] now = {0};
        ClusterNodes nodes = new ClusterNodes("127.0.0.1:1"::equals,
                List.of("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"), 1_000, () -> now[0]);
        String key = "www www.test /k";
        for (int i = 0; nodes.owner(key).equals("127.0.0.1:1"); i++) {
            key = "www www.test /k" + i;
        }
        String owner = nodes.owner(key);

        nodes.markDown(owner);
        String next = nodes.owner(key);
        now[0] = 1_000;

        assertThat(next).isNotEqualTo(owner);
        assertThat(nodes.owner(key)).as("back once its down time is over").isEqualTo(owner);
    }
}
