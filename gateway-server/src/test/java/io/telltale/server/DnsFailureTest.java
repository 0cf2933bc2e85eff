package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.param;
import static io.telltale.server.GatewayErrors.problem;
import static io.telltale.server.GatewayErrors.problemGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each DNS outcome produced for real by a lab DNS server on loopback, seen through the running gateway. */
class DnsFailureTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns.example.test. hostmaster.example.test. 2024060101 3600 600 86400 60
            @             IN NS  ns
            ns            IN A   127.0.0.1
            www           IN A   127.0.0.1
            nodata        IN TXT "only a verification record"
            servfail      IN A   127.0.0.1
            refused       IN A   127.0.0.1
            timeout       IN A   127.0.0.1
            dangling      IN CNAME deleted-app.example.test.
            private       IN A   10.0.0.1
            ;@fault servfail SERVFAIL 22 no reachable authority for servfail.example.test
            ;@fault refused REFUSED
            ;@fault timeout DROP
            """;

    private static LabDnsServer dns;
    private static TestOrigin origin;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        origin = new TestOrigin();
        StringBuilder sites = new StringBuilder();
        sites.append(site("healthy", "www.example.test", true))
                .append(site("loopback", "www.example.test", false))
                .append(site("nxdomain", "missing.example.test", true))
                .append(site("negative", "gone.example.test", true))
                .append(site("nodata", "nodata.example.test", true))
                .append(site("servfail", "servfail.example.test", true))
                .append(site("refused", "refused.example.test", true))
                .append(site("timeout", "timeout.example.test", true))
                .append(site("dangling", "dangling.example.test", true))
                .append(site("private", "private.example.test", true));
        // The NS glue is 127.0.0.1, so the delegation diagnosis asks the lab server at its own port.
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 300ms
                  attempts: 1
                  authoritativePort: %d
                  diagnosisBudget: 1s
                sites:
                %s""".formatted(dns.resolverLiteral(), dns.port(), sites.toString().indent(2)));
    }

    private static String site(String name, String originHost, boolean allowLoopback) {
        return """
                - name: %s
                  hosts: [%s.site.test]
                  detail: full
                  cache: {errorTtl: 0s}
                  allowedOriginNetworks: %s
                  origins:
                    - host: %s
                      httpPort: %d
                      connectTimeout: 2s
                      responseTimeout: 2s
                """.formatted(name, name, allowLoopback ? "[127.0.0.0/8]" : "[]", originHost, origin.port());
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        origin.close();
        dns.close();
    }

    private static RawHttp.Response request(String site) throws IOException {
        return problemGet(gateway.port(), site + ".site.test", "/echo");
    }

    private static String nextHop(String originHost) {
        return '"' + originHost + ":" + origin.port() + '"';
    }

    /** Asserts a DNS failure's headers and Proxy-Status, and returns its problem+json body. */
    private static Map<String, Object> dnsError(String site, String originHost, String error, String... typeParams)
            throws IOException {
        RawHttp.Response response = request(site);
        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "NonS3OriginDnsError");
        Map<String, Object> problem = problem(response);
        List<String> expected = new java.util.ArrayList<>(List.of("error=" + error));
        expected.addAll(List.of(typeParams));
        expected.add("next-hop=" + nextHop(originHost));
        expected.add("details=" + quoted((String) problem.get("detail")));
        assertThat(params).extracting(p -> p.key() + "=" + p.raw()).containsExactlyElementsOf(expected);
        assertThat(problem).containsEntry("origin", originHost + ":" + origin.port()).containsEntry("phase", "dns")
                .containsEntry("edgeError", "1001").containsEntry("site", site);
        return problem;
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Test
    void proxiesToAnOriginNamedInTheZone() throws IOException {
        RawHttp.Response response = request("healthy");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).startsWith("GET /echo\n").contains("host: www.example.test:" + origin.port());
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
        assertThat(dns.queryCount("www.example.test", "A")).isPositive();
    }

    @Test
    void answersNxdomainWithTheRcodeAndTheZonesSoa() throws IOException {
        Map<String, Object> problem = dnsError("nxdomain", "missing.example.test", "dns_error",
                "rcode=\"NXDOMAIN\"");

        Map<String, Object> evidence = evidence(problem);
        assertThat(evidence).containsEntry("query", "missing.example.test. A")
                .containsEntry("resolver", dns.resolverLiteral()).containsEntry("answer", "NXDOMAIN")
                .containsEntry("negativeTtlSeconds", 60);
        assertThat(evidence.get("soa")).asString().startsWith("example.test.");
        assertThat(problem.get("detail")).asString()
                .isEqualTo("The resolver " + dns.resolverLiteral() + " answered NXDOMAIN for missing.example.test: "
                        + "the name does not exist.");
        assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .first().asString().contains("dig @127.0.0.1 -p " + dns.port() + " missing.example.test A");
    }

    @Test
    void answersNodataAsNoerrorWithoutAnAddress() throws IOException {
        Map<String, Object> problem = dnsError("nodata", "nodata.example.test", "dns_error",
                "rcode=\"NOERROR\"");

        assertThat(problem.get("detail")).asString().contains("answered NOERROR with no A or AAAA record for "
                + "nodata.example.test");
        assertThat(evidence(problem)).containsEntry("answer", "NOERROR");
    }

    @Test
    void answersServfailWithTheExtendedErrorCode() throws IOException {
        Map<String, Object> problem = dnsError("servfail", "servfail.example.test", "dns_error",
                "rcode=\"SERVFAIL\"", "info-code=22");

        assertThat(evidence(problem).get("extendedError")).isEqualTo(Map.of("infoCode", 22,
                "name", "No Reachable Authority", "text", "no reachable authority for servfail.example.test"));
        assertThat((List<?>) problem.get("remediation")).as("EDE 22 is not a DNSSEC error: no DNSSEC check suggested")
                .noneSatisfy(r -> assertThat(r).asString().contains("+cd"));
    }

    @Test
    void answersRefused() throws IOException {
        Map<String, Object> problem = dnsError("refused", "refused.example.test", "dns_error",
                "rcode=\"REFUSED\"");

        assertThat(problem.get("detail")).asString().contains("answered REFUSED for refused.example.test");
    }

    @Test
    void answersATimeoutAsDnsTimeoutWithoutRcode() throws IOException {
        Map<String, Object> problem = dnsError("timeout", "timeout.example.test", "dns_timeout");

        assertThat(evidence(problem).get("answer")).asString().startsWith("timeout after ");
        assertThat(problem.get("detail")).asString().startsWith("No resolver answered the query for "
                + "timeout.example.test A: " + dns.resolverLiteral() + " timed out after ");
    }

    @Test
    void namesTheMissingTargetOfADanglingCname() throws IOException {
        Map<String, Object> problem = dnsError("dangling", "dangling.example.test", "dns_error",
                "rcode=\"NXDOMAIN\"");

        assertThat(evidence(problem)).containsEntry("missingTarget", "deleted-app.example.test")
                .containsEntry("cnameChain", List.of("dangling.example.test", "deleted-app.example.test"));
        assertThat(problem.get("detail")).asString().isEqualTo("dangling.example.test is an alias (CNAME) of "
                + "deleted-app.example.test, which does not exist (NXDOMAIN from " + dns.resolverLiteral()
                + "): the CNAME is dangling.");
    }

    @Test
    void refusesANameResolvingToAPrivateAddressWithoutConnecting() throws IOException {
        RawHttp.Response response = request("private");

        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "OriginIpProhibited");
        Map<String, Object> problem = problem(response);
        assertThat(params).extracting(p -> p.key() + "=" + p.raw()).containsExactly(
                "error=destination_ip_prohibited", "next-hop=" + nextHop("private.example.test"),
                "details=" + quoted((String) problem.get("detail")));
        assertThat(evidence(problem)).containsEntry("host", "private.example.test").containsEntry("address", "10.0.0.1")
                .containsEntry("range", "private (RFC 1918)").containsEntry("rangeCidr", "10.0.0.0/8")
                .containsEntry("allowedOriginNetworks", List.of("127.0.0.0/8"))
                .containsEntry("allowToFix", "10.0.0.1/32");
        assertThat(problem).containsEntry("phase", "dns");
    }

    @Test
    void refusesLoopbackUnlessTheSiteAllowsIt() throws IOException {
        int before = origin.requests().size();

        RawHttp.Response refused = request("loopback");

        assertGatewayError(refused, 502, "OriginIpProhibited");
        assertThat(evidence(problem(refused))).containsEntry("address", "127.0.0.1")
                .containsEntry("rangeCidr", "127.0.0.0/8").containsEntry("allowedOriginNetworks", List.of());
        assertThat(origin.requests()).hasSize(before);
        assertThat(request("healthy").status()).isEqualTo(200);
        assertThat(origin.requests()).hasSize(before + 1);
    }

    @Test
    void cachesANegativeAnswerSoManyRequestsAskOnce() throws IOException {
        RawHttp.Response first = request("negative");
        long asked = dns.queryCount("gone.example.test", "A");

        for (int i = 0; i < 20; i++) {
            RawHttp.Response again = request("negative");
            assertGatewayError(again, 502, "NonS3OriginDnsError");
            assertThat(param(GatewayErrors.proxyStatusParams(again.header("Proxy-Status")), "rcode")).isEqualTo("NXDOMAIN");
            assertThat(evidence(problem(again)).get("negativeCache")).asString().startsWith("negatively cached, ");
        }

        assertGatewayError(first, 502, "NonS3OriginDnsError");
        assertThat(evidence(problem(first)).get("negativeCache")).asString()
                .isEqualTo("negatively cached for 60 s (RFC 2308: min(SOA TTL, SOA minimum))");
        // One query from the resolver, one from the delegation diagnosis asking the zone's server directly.
        assertThat(asked).isEqualTo(2);
        assertThat(evidence(problem(first))).extractingByKey("attempts").asInstanceOf(InstanceOfAssertFactories.LIST)
                .hasSize(1);
        assertThat(dns.queryCount("gone.example.test", "A")).isEqualTo(asked);
    }
}
