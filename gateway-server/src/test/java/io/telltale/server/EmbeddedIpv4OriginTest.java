package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static io.telltale.server.GatewayErrors.problemGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Origin names resolving to IPv6 addresses that embed a prohibited IPv4 address are refused without any connect
 * attempt. The gateway runs on {@link LoopbackOnlyChannel}, so even a broken check could not send a packet off
 * this machine; the test asserts it did not even try.
 */
class EmbeddedIpv4OriginTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @          3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @               IN NS   ns
            ns              IN A    127.0.0.1
            compatible      IN AAAA ::127.0.0.1
            nat64           IN AAAA 64:ff9b::a9fe:a9fe
            nat64local      IN AAAA 64:ff9b:1::a00:5
            sixtofour       IN AAAA 2002:7f00:1::1
            teredo          IN AAAA 2001:0:4136:e378:8000:63bf:80ff:fffe
            """;

    private static LabDnsServer dns;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        StringBuilder sites = new StringBuilder();
        for (String name : new String[] {"compatible", "nat64", "nat64local", "sixtofour", "teredo"}) {
            sites.append("""
                    - name: %1$s
                      hosts: [%1$s.site.test]
                      detail: full
                      cache: {errorTtl: 0s}
                      origins:
                        - host: %1$s.example.test
                          httpPort: 8080
                          connectTimeout: 1s
                    """.formatted(name));
        }
        gateway = GatewayFixture.start(ConfigLoader.parse("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)), "test.yaml"),
                LoopbackOnlyChannel.transport());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        dns.close();
    }

    @BeforeEach
    void forgetEarlierTries() {
        LoopbackOnlyChannel.REFUSED.clear();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "compatible | ::7f00:1           | 127.0.0.1       | ::/96",
        "nat64      | 64:ff9b::a9fe:a9fe | 169.254.169.254 | 64:ff9b::/96",
        "nat64local | 64:ff9b:1::a00:5   | 10.0.0.5        | 64:ff9b:1::/48",
        "sixtofour  | 2002:7f00:1::1     | 127.0.0.1       | 2002::/16",
        "teredo     | 2001:0:4136:e378:8000:63bf:80ff:fffe | 127.0.0.1 | 2001::/32",
    })
    void refusesAnEmbeddedProhibitedAddressWithoutTryingToConnect(String site, String address, String embedded,
            String scheme) throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), site + ".site.test", "/");

        assertGatewayError(response, 502, "OriginIpProhibited");
        Map<String, Object> evidence = evidence(problem(response));
        assertThat(evidence).containsEntry("rangeCidr", scheme);
        assertThat(NetUtil.createByteArrayFromIpAddressString((String) evidence.get("address")))
                .isEqualTo(NetUtil.createByteArrayFromIpAddressString(address));
        assertThat(evidence.get("range")).asString().contains(embedded + ", embedded by");
        assertThat(LoopbackOnlyChannel.REFUSED).as("connect attempts off loopback").isEmpty();
    }
}
