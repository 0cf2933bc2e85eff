package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.param;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A name whose own zone is healthy but whose CNAME target's zone is broken, on a real loopback delegation: the
 * parent zone {@code test.} (also the recursive resolver) on 127.0.0.1, {@code example.test} on 127.0.0.2, and on
 * 127.0.0.3 a lame {@code cdn.test} and a {@code broken.test} that answers SERVFAIL. The explanation names the
 * zone where resolution breaks and its name servers, not the origin name's zone.
 */
class AliasDelegationTest {
    private static final String PARENT = """
            $ORIGIN test.
            @             3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
            @                  IN NS  ns.test.
            ns                 IN A   127.0.0.1
            example            IN NS  ns1.example.test.
            ns1.example        IN A   127.0.0.2
            cdn                IN NS  ns1.cdn.test.
            ns1.cdn            IN A   127.0.0.3
            broken             IN NS  ns1.broken.test.
            ns1.broken         IN A   127.0.0.3
            good               IN NS  ns1.example.test.
            """;

    private static final String EXAMPLE = """
            $ORIGIN example.test.
            @     IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 86400 60
            @     IN NS  ns1
            ns1   IN A   127.0.0.2
            www   IN CNAME edge.cdn.test.
            shop  IN CNAME edge.broken.test.
            fine  IN CNAME edge.good.test.
            """;

    private static final String GOOD = """
            $ORIGIN good.test.
            @     IN SOA ns1.example.test. hostmaster.good.test. 1 3600 600 86400 60
            @     IN NS  ns1.example.test.
            edge  IN A   127.0.0.1
            """;

    private static final String CDN = """
            $ORIGIN cdn.test.
            @     IN SOA ns1.cdn.test. hostmaster.cdn.test. 3 3600 600 86400 60
            @     IN NS  ns1
            ns1   IN A   127.0.0.3
            edge  IN A   127.0.0.1
            ;@fault @ LAME
            """;

    private static final String BROKEN = """
            $ORIGIN broken.test.
            @     IN SOA ns1.broken.test. hostmaster.broken.test. 3 3600 600 86400 60
            @     IN NS  ns1
            ns1   IN A   127.0.0.3
            edge  IN A   127.0.0.1
            ;@fault @ SERVFAIL
            """;

    private static final Map<InetAddress, Integer> PORTS = new ConcurrentHashMap<>();
    private static LabDnsServer parent;
    private static LabDnsServer example;
    private static LabDnsServer cdn;
    private static TestOrigin origin;
    private static EdgeServer gateway;

    @BeforeAll
    static void start() throws Exception {
        parent = LabDnsServer.builder().zone(PARENT).recursion(PORTS::get).start();
        example = LabDnsServer.builder().bindAddress(ip("127.0.0.2")).zone(EXAMPLE).zone(GOOD).start();
        cdn = LabDnsServer.builder().bindAddress(ip("127.0.0.3")).zone(CDN).zone(BROKEN).start();
        for (LabDnsServer s : List.of(parent, example, cdn)) {
            PORTS.put(s.address().getAddress(), s.port());
        }
        origin = new TestOrigin();
        StringBuilder sites = new StringBuilder();
        for (String name : List.of("www", "shop", "fine")) {
            sites.append("""
                    - name: %s
                      hosts: [%s.site.test]
                      detail: full
                      cache: {errorTtl: 0s}
                      allowedOriginNetworks: [127.0.0.0/8]
                      origins:
                        - host: %s.example.test
                          httpPort: %d
                          connectTimeout: 2s
                    """.formatted(name, name, name, origin.port()));
        }
        gateway = EdgeServer.start(ConfigLoader.parse("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 1s
                  attempts: 1
                  diagnosisBudget: 5s
                sites:
                %s""".formatted(parent.resolverLiteral(), sites.toString().indent(2)), "test.yaml"), PORTS::get);
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.close();
        }
        for (LabDnsServer s : new LabDnsServer[] {parent, example, cdn}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> delegation(Map<String, Object> problem) {
        return (Map<String, Object>) evidence(problem).get("delegation");
    }

    @Test
    void aLameZoneBehindACnameIsNamedInsteadOfTheOriginNamesZone() throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.httpPort(), "www.site.test", "/");
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "NonS3OriginDnsError");
        assertThat(param(params, "rcode")).isEqualTo("SERVFAIL");
        Map<String, Object> problem = problem(response);

        assertThat(problem.get("detail")).asString()
                .startsWith("Resolution of www.example.test breaks in the zone cdn.test, not in example.test: "
                        + "www.example.test is an alias (CNAME chain www.example.test -> edge.cdn.test), and ns1.cdn.test (127.0.0.3:"
                        + cdn.port() + ") is listed as a name server of cdn.test but answered without the AA flag");
        Map<String, Object> delegation = delegation(problem);
        assertThat(delegation).containsEntry("name", "edge.cdn.test").containsEntry("apex", "cdn.test")
                .containsEntry("parent", "test").containsEntry("brokenZone", "cdn.test")
                .containsEntry("cnameChain", List.of("www.example.test (zone example.test) is an alias of edge.cdn.test",
                        "edge.cdn.test (zone cdn.test)"));
        assertThat(delegation.get("findings").toString()).contains("SERVER_NOT_AUTHORITATIVE").doesNotContain("example.test");
        assertThat(delegation.get("servers").toString()).contains("zone=example.test").contains("zone=cdn.test");
        assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST).first().asString()
                .startsWith("Fix the zone cdn.test (the zone of the CNAME target edge.cdn.test), not example.test: "
                        + "its name servers [ns1.cdn.test (127.0.0.3:" + cdn.port() + ")]");
        assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .noneSatisfy(line -> assertThat(line).asString().contains("dig www.example.test NS"))
                .anySatisfy(line -> assertThat(line).asString().contains("dig cdn.test SOA @127.0.0.3 -p " + cdn.port()
                        + " +norecurse"));
    }

    @Test
    void aServfailingZoneBehindACnameIsNamed() throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.httpPort(), "shop.site.test", "/");
        assertGatewayError(response, 502, "NonS3OriginDnsError");
        Map<String, Object> problem = problem(response);

        assertThat(problem.get("detail")).asString()
                .startsWith("Resolution of shop.example.test breaks in the zone broken.test, not in example.test: ")
                .contains("ns1.broken.test (127.0.0.3:" + cdn.port() + ") answered SERVFAIL for broken.test");
        assertThat(delegation(problem)).containsEntry("apex", "broken.test").containsEntry("brokenZone", "broken.test");
    }

    @Test
    void aHealthyChainAcrossZonesResolves() throws IOException {
        RawHttp.Response response = GatewayErrors.get(gateway.httpPort(), "fine.site.test", "/echo", "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
    }
}
