package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.lab.origin.BrokenOrigin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every address of an origin's name is used (RFC 8305): a lab DNS server gives names several loopback
 * addresses on one port, some refusing, one blackholing, one serving.
 */
class HappyEyeballsTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 60
            @     IN SOA ns1 hostmaster 1 3600 600 86400 1
            @     IN NS  ns1
            ns1   IN A   127.0.0.1
            two   IN A   127.0.0.2
            two   IN A   127.0.0.3
            slow  IN A   127.0.0.4
            slow  IN A   127.0.0.6
            dual  IN A   127.0.0.7
            dual  IN AAAA ::1
            down  IN A   127.0.0.2
            down  IN A   127.0.0.5
            mixed IN A   127.0.0.2
            mixed IN A   127.0.0.4
            """;

    private static LabDnsServer dns;
    private static NamedOrigin serving;
    private static NamedOrigin six;
    private static NamedOrigin seven;
    private static BrokenOrigin blackhole;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        serving = NamedOrigin.start("three", new InetSocketAddress(address(3), 0));
        int port = serving.port();
        // Each name has a serving address of its own, so no test is served by another's pooled connection.
        six = NamedOrigin.start("six", new InetSocketAddress(address(6), port));
        seven = NamedOrigin.start("seven", new InetSocketAddress(address(7), port));
        blackhole = BrokenOrigin.blackholeAt(new InetSocketAddress(address(4), port));
        StringBuilder sites = new StringBuilder();
        for (String name : List.of("two", "slow", "dual", "down", "mixed")) {
            sites.append("""
                      - name: %1$s
                        hosts: [%1$s.test]
                        detail: full
                        allowedOriginNetworks: [127.0.0.0/8, "::1/128"]
                        origins: [{host: %1$s.example.test, httpPort: %2$d, connectTimeout: %3$s}]
                    """.formatted(name, port, name.equals("mixed") ? "1s" : "10s"));
        }
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                sites:
                %s""".formatted(dns.resolverLiteral(), sites));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        blackhole.close();
        serving.close();
        six.close();
        seven.close();
        dns.close();
    }

    @Test
    void aRefusingFirstAddressFallsThroughToTheServingSecond() throws Exception {
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "two.test", "/", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("three");
        assertThat(r.header("X-Gateway-Failover"))
                .startsWith("served=\"two.example.test:" + serving.port() + " 127.0.0.3\"")
                .contains("127.0.0.2 OriginConnectionRefused (connect)");
    }

    @Test
    void aBlackholingFirstAddressIsOvertakenAfterTheStaggerNotTheConnectTimeout() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "slow.test", "/", "");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("six");
        assertThat(r.header("X-Gateway-Failover")).contains("127.0.0.4 abandoned (connect)");
        // The connect timeout is 10 s: being served well before it means the second address did not wait for it.
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    void ipv6IsTriedFirstWhenBothFamiliesResolve() throws Exception {
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "dual.test", "/", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("seven");
        assertThat(r.header("X-Gateway-Failover")).contains("::1 OriginConnectionRefused");
    }

    @Test
    void addressesThatAllFailAlikeKeepTheirOwnCodeAndAreEachListed() throws Exception {
        RawHttp.Response r = GatewayErrors.problemGet(gateway.port(), "down.test", "/");

        GatewayErrors.assertGatewayError(r, 521, "OriginConnectionRefused");
        assertThat(GatewayErrors.evidence(GatewayErrors.problem(r))).containsEntry("origin.address", "127.0.0.2");
    }

    @Test
    void addressesThatFailInDifferentWaysAreNamedTogetherWithEachOutcome() throws Exception {
        RawHttp.Response r = GatewayErrors.problemGet(gateway.port(), "mixed.test", "/");

        GatewayErrors.assertGatewayError(r, 502, "OriginAddressesFailed");
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(r));
        assertThat((java.util.List<?>) evidence.get("addresses")).hasSize(2)
                .anySatisfy(a -> assertThat(a.toString()).startsWith("127.0.0.2 OriginConnectionRefused"))
                .anySatisfy(a -> assertThat(a.toString()).startsWith("127.0.0.4 OriginConnectTimeout"));
    }

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
