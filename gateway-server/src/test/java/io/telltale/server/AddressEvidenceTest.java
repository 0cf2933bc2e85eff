package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A refused connect lists every address the name resolved to with its outcome, states the name's address
 * families, and writes IPv6 compressed.
 */
class AddressEvidenceTest {
    private static LabDnsServer dns;
    private static GatewayFixture gateway;
    private static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone("""
                $ORIGIN example.test.
                $TTL 300
                @ 3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
                @      IN NS   ns
                ns     IN A    127.0.0.1
                dual   IN A    127.0.0.1
                dual   IN AAAA ::1
                v4     IN A    127.0.0.1
                halfdrop IN A  127.0.0.1
                halffail IN A  127.0.0.1
                v6fail IN TXT  "no A record"
                v6drop IN TXT  "no A record"
                ;@fault halfdrop DROP_AAAA
                ;@fault halffail SERVFAIL_AAAA 22 no reachable authority
                ;@fault v6fail SERVFAIL_AAAA
                ;@fault v6drop DROP_AAAA
                """).start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        StringBuilder sites = new StringBuilder();
        for (String name : List.of("dual", "v4", "halfdrop", "halffail", "v6fail", "v6drop")) {
            sites.append("""
                    - name: %s
                      hosts: [%s.site.test]
                      detail: full
                      cache: {errorTtl: 0s}
                      allowedOriginNetworks: [127.0.0.0/8, "::1/128"]
                      origins:
                        - host: %s.example.test
                          httpPort: %d
                          connectTimeout: 2s
                    """.formatted(name, name, name, closedPort));
        }
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 500ms
                  attempts: 1
                  resolutionDelay: 50ms
                sites:
                %s""".formatted(dns.resolverLiteral(), sites.toString().indent(2)));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static Map<String, Object> refused(String site) throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), site + ".site.test", "/");
        assertGatewayError(response, 521, "OriginConnectionRefused");
        return evidence(problem(response));
    }

    @Test
    void listsEveryResolvedAddressWithItsOutcomeAndIpv6Compressed() throws IOException {
        Map<String, Object> evidence = refused("dual");

        @SuppressWarnings("unchecked")
        List<String> addresses = (List<String>) evidence.get("addresses");
        assertThat(addresses).hasSize(2)
                .anySatisfy(a -> assertThat(a).startsWith("127.0.0.1: "))
                .anySatisfy(a -> assertThat(a).startsWith("::1: "))
                .noneSatisfy(a -> assertThat(a).contains("0:0:0:0"));
        // Every address is tried (Happy Eyeballs): a refusal starts the next one at once.
        assertThat(addresses).allSatisfy(a -> assertThat(a).endsWith(": tried, connection refused"));
        assertThat(evidence.get("origin.address")).isIn("127.0.0.1", "::1");
        assertThat(evidence).containsEntry("addressFamilies", "dual.example.test has 1 A record and 1 AAAA record");
    }

    @Test
    void saysTheNameHasNoAaaaRecord() throws IOException {
        Map<String, Object> evidence = refused("v4");

        assertThat(evidence).containsEntry("addresses", List.of("127.0.0.1: tried, connection refused"))
                .containsEntry("addressFamilies", "v4.example.test has 1 A record and no AAAA record: IPv4 only");
    }

    @Test
    void saysWhichFamilysQueryFailedWhenTheOtherAnsweredAndTheConnectFails() throws IOException {
        Map<String, Object> failed = refused("halffail");
        Map<String, Object> late = refused("halfdrop");

        assertThat(failed).containsEntry("addresses", List.of("127.0.0.1: tried, connection refused"))
                .containsEntry("addressQueries", List.of("A: 127.0.0.1",
                        "AAAA: failed, SERVFAIL (EDE 22 No Reachable Authority: no reachable authority) from "
                                + dns.resolverLiteral()))
                .containsEntry("addressFamilies", "halffail.example.test has 1 A record; its AAAA query failed (SERVFAIL "
                        + "(EDE 22 No Reachable Authority: no reachable authority) from " + dns.resolverLiteral()
                        + "), so whether it has IPv6 addresses is unknown");
        assertThat(late).containsEntry("addressQueries", List.of("A: 127.0.0.1",
                        "AAAA: failed, no answer within the 50 ms resolution delay (RFC 8305)"))
                .extractingByKey("addressFamilies").asString()
                .startsWith("halfdrop.example.test has 1 A record; its AAAA query failed (no answer within");
    }

    @Test
    void aNameWithoutAnARecordWhoseAaaaQueryFailsIsADnsFailureNotNoAddress() throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "v6fail.site.test", "/");
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "NonS3OriginDnsError");
        Map<String, Object> problem = problem(response);

        assertThat(GatewayErrors.param(params, "rcode")).isEqualTo("SERVFAIL");
        assertThat(problem.get("detail")).asString()
                .startsWith("The resolver " + dns.resolverLiteral() + " answered SERVFAIL for v6fail.example.test")
                .endsWith(" v6fail.example.test has no A record; its AAAA query failed (SERVFAIL from "
                        + dns.resolverLiteral() + "), so whether it has IPv6 addresses is unknown.");
        assertThat(evidence(problem)).containsEntry("query", "v6fail.example.test. AAAA")
                .containsEntry("addressQueries", List.of("A: no record", "AAAA: failed, SERVFAIL from " + dns.resolverLiteral()));
    }

    @Test
    void aNameWithoutAnARecordWhoseAaaaQueryTimesOutIsADnsTimeout() throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "v6drop.site.test", "/");
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "NonS3OriginDnsError");
        Map<String, Object> problem = problem(response);

        assertThat(params.get(0).raw()).isEqualTo("dns_timeout");
        assertThat(evidence(problem)).extractingByKey("addressFamilies").asString()
                .matches("v6drop\\.example\\.test has no A record; its AAAA query failed \\(timeout after 5\\d\\d ms from "
                        + java.util.regex.Pattern.quote(dns.resolverLiteral()) + "\\), so whether it has IPv6 addresses is unknown");
    }
}
