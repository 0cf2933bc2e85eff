package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.get;
import static io.telltale.server.GatewayErrors.json;
import static io.telltale.server.GatewayErrors.problem;
import static io.telltale.server.GatewayErrors.problemGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The explained error response of one real failure (a refused port), in every format and detail policy. */
class ErrorResponseTest {
    private static final String TOKEN = "let-me-see-7f3a";
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 300
            @       3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
            @            IN NS  ns
            ns           IN A   127.0.0.1
            refused      IN A   127.0.0.1
            www          IN A   127.0.0.1
            """;

    private static int refusedPort;
    private static LabDnsServer dns;
    private static TestOrigin origin;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        // A port that was just free: nothing listens on it, so connecting is refused.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusedPort = socket.getLocalPort();
        }
        dns = LabDnsServer.builder().zone(ZONE).start();
        origin = new TestOrigin();
        origin.respondRaw("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ndown\n");
        String refused = "refused.example.test:" + refusedPort;
        String working = "www.example.test:" + origin.port();
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
                sites:
                %s""".formatted(dns.resolverLiteral(), String.join("",
                site("full", "detail: full", refused),
                site("public", "detail: public", refused),
                site("token", "detail: trusted\ndebugToken: " + TOKEN, refused),
                site("network", "detail: trusted\ntrustedNetworks: [127.0.0.0/8]", refused),
                site("metered", "detail: full", refused),
                site("upstream", "detail: full", working),
                site("rules", """
                        detail: full
                        rules:
                          viewerRequest:
                            - name: client-address
                              header: X-Client
                              value: "${client.address}"
                            - name: copy-in
                              header: X-Copied
                              value: "in=${request.header.X-In}"
                        """, working)).indent(2)));
    }

    private static String site(String name, String policy, String hostPort) {
        String[] origin = hostPort.split(":");
        return """
                - name: %s
                  hosts: [%s.site.test]
                  allowedOriginNetworks: [127.0.0.0/8]
                  cache: {errorTtl: 0s}
                %s  origins:
                    - host: %s
                      httpPort: %s
                      connectTimeout: 2s
                      responseTimeout: 2s
                """.formatted(name, name, policy.indent(2), origin[0], origin[1]);
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        origin.close();
        dns.close();
    }

    private static RawHttp.Response request(String site, String headers) throws IOException {
        return get(gateway.port(), site + ".site.test", "/some/page?x=1", headers);
    }

    private static RawHttp.Response admin(String path) throws IOException {
        return get(gateway.adminPort(), "127.0.0.1", path, "");
    }

    private static String nextHop() {
        return "refused.example.test:" + refusedPort;
    }

    // ---- the three formats ----

    @Test
    void answersProblemJsonWithEveryMemberForAFullDetailSite() throws IOException {
        RawHttp.Response response = problemGet(gateway.port(), "full.site.test", "/some/page?x=1");

        List<GatewayErrors.Param> params = assertGatewayError(response, 521, "OriginConnectionRefused");
        Map<String, Object> problem = problem(response);
        assertThat(params).extracting(p -> p.key() + "=" + p.raw()).containsExactly("error=connection_refused",
                "next-hop=\"" + nextHop() + "\"", "details=\"" + problem.get("detail") + "\"");
        assertThat(problem).containsEntry("title", "The origin refused the connection")
                .containsEntry("edgeError", "521").containsEntry("phase", "connect")
                .containsEntry("site", "full").containsEntry("origin", nextHop());
        assertThat(problem.get("detail")).asString().contains(nextHop());
        assertThat(evidence(problem)).isNotEmpty().containsValue(refusedPort);
        assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .anySatisfy(step -> assertThat(step).asString().contains("nc -vz 127.0.0.1 " + refusedPort));
        assertThat(problem.get("alsoKnownAs")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("CloudFront", "502 OriginConnectError").containsEntry("RFC 9209", "connection_refused")
                .containsKeys("Cloudflare", "nginx", "Envoy");
        assertThat(problem.get("timeline")).asInstanceOf(InstanceOfAssertFactories.LIST).extracting("step", "state")
                .map(t -> t.toList().toString())
                .containsExactly("[DNS, ok]", "[TCP, failed]", "[TLS, not reached]", "[HTTP, not reached]");
    }

    @Test
    void answersAnHtmlPageWithTheHopStripForBrowsers() throws IOException {
        RawHttp.Response response = request("full", "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n");

        assertGatewayError(response, 521, "OriginConnectionRefused");
        assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.bodyText()).startsWith("<!DOCTYPE html>")
                .contains("<title>full.site.test | 521: The origin refused the connection</title>")
                .contains("<div class=\"hop ok\">You<br><small>browser</small></div>")
                .contains("<span class=\"step ok\" title=\"ok\">DNS &#10003;</span>")
                .contains("<span class=\"step failed\" title=\"failed\">TCP &#10007;</span>")
                // The timings are in the waterfall below the strip, not repeated in it.
                .containsPattern("<li class=\"step-row ok\" data-step=\"dns\">.*?<span class=\"time\">[0-9.]+ m?s</span>")
                .containsPattern("<li class=\"step-row failed\" data-step=\"tcp\">.*?&#10007; failed after [0-9.]+ ms</span>")
                .contains("<span class=\"step not-reached\" title=\"not reached\">TLS &middot;</span>")
                .contains("<span class=\"step not-reached\" title=\"not reached\">HTTP &middot;</span>")
                .contains("<div class=\"hop failed\">" + nextHop() + "<br><small>origin</small></div>")
                .contains("<h2>Evidence</h2>")
                .contains("Request id: <code>" + response.header("X-Request-Id") + "</code>");
    }

    @Test
    void answersPlainTextForAnythingElse() throws IOException {
        RawHttp.Response response = request("full", "Accept: */*\r\n");

        assertGatewayError(response, 521, "OriginConnectionRefused");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.bodyText())
                .startsWith("521 OriginConnectionRefused (edge 521): The origin refused the connection\n")
                .contains("\nPath: You -> telltale -> " + nextHop() + "\n")
                .containsPattern("\n  DNS: ok \\(\\d+ ms\\)\n  TCP: failed( \\(\\d+ ms\\))?\n  TLS: not reached\n"
                        + "  HTTP: not reached\n")
                .contains("\nEvidence:\n")
                .endsWith("\nRequest id: " + response.header("X-Request-Id") + "\n");
    }

    // ---- detail policy ----

    @Test
    void leaksNoEvidenceToPublicVisitorsInAnyFormat() throws IOException {
        for (String accept : List.of("application/problem+json", "text/html", "*/*")) {
            RawHttp.Response response = request("public", "Accept: " + accept + "\r\n");

            List<GatewayErrors.Param> params = assertGatewayError(response, 521, "OriginConnectionRefused");
            assertThat(GatewayErrors.keys(params)).containsExactly("error");
            String everything = response.headers() + "\n" + response.bodyText();
            assertThat(everything).as(accept).doesNotContain(Integer.toString(refusedPort))
                    .doesNotContain("127.0.0.1").doesNotContain("refused.example.test").doesNotContain("nc -vz");
        }
        Map<String, Object> problem = problem(request("public", "Accept: application/problem+json\r\n"));
        assertThat(problem).doesNotContainKeys("evidence", "remediation", "origin", "site", "timeline")
                .containsEntry("detail", "The origin's host answered the TCP connection attempt with a reset: nothing is "
                        + "listening on that port, or a firewall rejects the gateway.")
                .containsKeys("title", "advice", "alsoKnownAs", "requestId");
    }

    @Test
    void showsEvidenceOnATrustedSiteOnlyWithTheRightDebugToken() throws IOException {
        Map<String, Object> without = problem(request("token", "Accept: application/problem+json\r\n"));
        RawHttp.Response wrong = request("token", "Accept: application/problem+json\r\nX-Telltale-Debug: guess\r\n");
        RawHttp.Response right = request("token", "Accept: application/problem+json\r\nX-Telltale-Debug: " + TOKEN + "\r\n");

        assertThat(without).doesNotContainKeys("evidence", "origin");
        assertThat(problem(wrong)).doesNotContainKeys("evidence", "origin");
        assertThat(wrong.header("Proxy-Status")).isEqualTo("telltale; error=connection_refused");
        assertThat(problem(right)).containsEntry("origin", nextHop()).containsKey("evidence");
        assertThat(GatewayErrors.param(GatewayErrors.proxyStatusParams(right.header("Proxy-Status")), "next-hop"))
                .isEqualTo(nextHop());
    }

    @Test
    void servesTheProblemsInstanceOnlyToTheClientsTheSiteTrusts() throws IOException {
        RawHttp.Response failed = request("token", "");
        String instance = "/__telltale/requests/" + failed.header("X-Request-Id");

        RawHttp.Response trusted = get(gateway.port(), "token.site.test", instance, "X-Telltale-Debug: " + TOKEN + "\r\n");
        RawHttp.Response stranger = get(gateway.port(), "token.site.test", instance, "");
        RawHttp.Response otherSite = get(gateway.port(), "full.site.test", instance, "");

        assertThat(trusted.status()).isEqualTo(200);
        assertThat(trusted.bodyText()).contains("\"OriginConnectionRefused\"").contains(String.valueOf(refusedPort));
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.bodyText()).doesNotContain("OriginConnectionRefused");
        assertThat(otherSite.status()).isEqualTo(404);
    }

    @Test
    void neverForwardsTheDebugTokenToTheOrigin() throws IOException {
        get(gateway.port(), "upstream.site.test", "/echo", "X-Telltale-Debug: " + TOKEN + "\r\n");

        assertThat(origin.requests()).isNotEmpty()
                .allSatisfy(seen -> assertThat(seen.headers()).doesNotContainKey("x-telltale-debug"));
    }

    @Test
    void showsEvidenceOnATrustedSiteToATrustedNetwork() throws IOException {
        Map<String, Object> problem = problem(request("network", "Accept: application/problem+json\r\n"));

        assertThat(problem).containsEntry("origin", nextHop());
        assertThat(evidence(problem)).containsValue(refusedPort);
    }

    // ---- the catalogue pages ----

    @Test
    void servesTheCataloguePageOnAnyHost() throws IOException {
        RawHttp.Response html = get(gateway.port(), "not-a-site.test", "/__telltale/errors/NonS3OriginDnsError", "");
        RawHttp.Response entry = get(gateway.port(), "full.site.test", "/__telltale/errors/NonS3OriginDnsError",
                "Accept: application/json\r\n");
        RawHttp.Response unknown = get(gateway.port(), "not-a-site.test", "/__telltale/errors/NonS3OriginDnsEror", "");

        assertThat(html.status()).isEqualTo(200);
        assertThat(html.bodyText()).contains("<title>NonS3OriginDnsError | The origin&#39;s DNS name could not be resolved");
        assertThat(entry.status()).isEqualTo(200);
        assertThat(json(entry.bodyText())).containsEntry("code", "NonS3OriginDnsError").containsEntry("status", 502)
                .containsEntry("edgeError", "1001").containsEntry("phase", "dns").containsEntry("proxyStatus", "dns_error");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.bodyText()).startsWith("Unknown error code: NonS3OriginDnsEror\nDid you mean: NonS3OriginDnsError");
    }

    // ---- the journal and the metrics ----

    @Test
    void journalsTheFullRecordByRequestIdEvenForAPublicSite() throws IOException {
        RawHttp.Response failed = request("public", "");
        String id = failed.header("X-Request-Id");

        RawHttp.Response record = admin("/failures/" + id);

        assertThat(record.status()).isEqualTo(200);
        assertThat(record.header("Content-Type")).isEqualTo("application/json");
        Map<String, Object> entry = json(record.bodyText());
        assertThat(entry).containsEntry("requestId", id).containsEntry("site", "public").containsEntry("origin", nextHop())
                .containsEntry("method", "GET").containsEntry("host", "public.site.test")
                .containsEntry("path", "/some/page?x=1").containsEntry("responseStarted", false);
        assertThat(entry.get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("code", "OriginConnectionRefused").containsEntry("status", 521)
                .containsEntry("proxyStatusError", "connection_refused")
                .extractingByKey("evidence").asInstanceOf(InstanceOfAssertFactories.MAP).containsValue(refusedPort);
        assertThat(admin("/failures/0000000000000000").status()).isEqualTo(404);
    }

    @Test
    void listsJournaledFailuresByCodeAndRefusesAnUnknownCode() throws IOException {
        String id = request("full", "").header("X-Request-Id");

        RawHttp.Response listed = admin("/failures?code=OriginConnectionRefused&limit=1000");
        RawHttp.Response other = admin("/failures?code=OriginConnectTimeout");
        RawHttp.Response unknown = admin("/failures?code=NoSuchCode");

        assertThat(listed.status()).isEqualTo(200);
        assertThat(json(listed.bodyText()).get("entries")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("failure")
                        .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("code", "OriginConnectionRefused"))
                .anySatisfy(e -> assertThat(e).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("requestId", id));
        assertThat(json(other.bodyText()).get("entries")).asInstanceOf(InstanceOfAssertFactories.LIST).isEmpty();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.bodyText()).startsWith("code: NoSuchCode (expected: ");
    }

    @Test
    void countsFailuresByCodeInTheMetrics() throws IOException {
        double before = failureCount("metered");
        for (int i = 0; i < 3; i++) {
            assertGatewayError(request("metered", ""), 521, "OriginConnectionRefused");
        }

        assertThat(failureCount("metered")).isEqualTo(before + 3);
    }

    private static double failureCount(String site) throws IOException {
        RawHttp.Response metrics = admin("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        String series = "telltale_failures_total{code=\"OriginConnectionRefused\",origin=\"" + nextHop() + "\",site=\""
                + site + "\"} ";
        return metrics.bodyText().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElse(0);
    }

    // ---- edge rules and the origin's own errors ----

    @Test
    void appliesViewerRequestRulesOnTheWayToTheOrigin() throws IOException {
        RawHttp.Response response = get(gateway.port(), "rules.site.test", "/echo", "X-In: hello\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).contains("\nx-client: 127.0.0.1\n").contains("\nx-copied: in=hello\n");
    }

    @Test
    void stopsARequestWhoseRuleValueGrowsBeyondWhatAHeaderMayCarry() throws IOException {
        int before = origin.requests().size();

        RawHttp.Response response = get(gateway.port(), "rules.site.test", "/echo",
                "Accept: application/problem+json\r\nX-In: " + "x".repeat(9000) + "\r\n");

        List<GatewayErrors.Param> params = assertGatewayError(response, 502, "FunctionValidationError");
        Map<String, Object> problem = problem(response);
        assertThat(GatewayErrors.param(params, "error")).isEqualTo("proxy_configuration_error");
        assertThat(evidence(problem)).containsEntry("rule", "copy-in").containsEntry("header", "X-Copied")
                .containsEntry("variable", "${request.header.X-In}")
                .containsEntry("reason", "the value grew to more than 8192 characters");
        assertThat(problem.get("detail")).asString().isEqualTo("The edge rule copy-in could not set X-Copied: the value "
                + "from ${request.header.X-In} is invalid because the value grew to more than 8192 characters.");
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void refusesACarriageReturnInAHeaderBeforeAnyRuleCouldCopyIt() throws IOException {
        int before = origin.requests().size();

        RawHttp.Response response = get(gateway.port(), "rules.site.test", "/echo", "X-In: a\rX-Evil: 1\r\n");

        assertGatewayError(response, 400, "MalformedRequest");
        assertThat(origin.requests()).hasSize(before);
    }

    @Test
    void passesAnOriginsOwn503ThroughMarkedAsAnError() throws IOException {
        RawHttp.Response response = get(gateway.port(), "upstream.site.test", "/raw", "");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).isEqualTo("down\n");
        assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
        assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{16}");
        assertThat(response.header("Proxy-Status"))
                .isEqualTo("telltale; next-hop=\"www.example.test:" + origin.port() + "\"; received-status=503");
        assertThat(response.header("Cache-Status")).isEqualTo("telltale; fwd=miss; fwd-status=503");
    }
}
