package io.telltale.server;

import static io.telltale.server.GatewayErrors.json;
import static io.telltale.server.GatewayErrors.proxyStatusParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.failure.FailureCode;
import io.telltale.server.lab.Lab;
import io.telltale.server.lab.LabOptions;
import io.telltale.server.lab.LabScenario;
import io.telltale.server.lab.LabScenarios;
import io.telltale.server.lab.origin.Http2FaultOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole lab started in-process on free ports: every scenario answers as the scenario list says. */
class LabTest {
    @TempDir
    static Path state;

    private static Lab lab;

    @BeforeAll
    static void start() throws Exception {
        lab = Lab.start(new LabOptions(0, 0, 0, state, Path.of("..", "config")));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    /** The scenarios answered by an error of this gateway; the loop's comes back through the gateway itself. */
    static Stream<Named<LabScenario>> gatewayErrors() {
        return LabScenarios.all().stream().filter(LabScenario::available)
                .filter(s -> s.outcome() == LabScenario.Outcome.ERROR && !s.name().equals("loop"))
                // A shield's error has two Proxy-Status members: theShieldScenarioRelaysTheShieldsErrorAcrossTheHops reads them.
                .filter(s -> !s.name().equals("shield-failed"))
                // A refused upgrade needs a request that asks for one: theWebSocketScenariosEchoRefuseAndCutAsListed sends it.
                .filter(s -> s.code() != FailureCode.ORIGIN_UPGRADE_REFUSED)
                // Under a CDN profile the status and X-Cache are that CDN's: theCdnScenariosAnswerAsTheirProfileDoes.
                .filter(s -> !s.name().startsWith("cdn-"))
                .map(s -> Named.of(s.name(), s));
    }

    private static RawHttp.Response get(String host, String path) throws IOException {
        return GatewayErrors.get(lab.endpoints().httpPort(), host, path, "");
    }

    private static RawHttp.Response get(LabScenario s) throws IOException {
        return get(s.host(), s.path());
    }

    private static String errorType(RawHttp.Response response) {
        return GatewayErrors.param(proxyStatusParams(response.header("Proxy-Status")), "error");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayErrors")
    void everyFailingScenarioAnswersWithItsCodeAndProxyStatus(LabScenario s) throws IOException {
        RawHttp.Response response = get(s);

        GatewayErrors.assertGatewayError(response, s.status(), s.code().code());
        assertThat(errorType(response)).isEqualTo(s.proxyStatusError());
        assertThat(response.bodyText()).startsWith(s.status() + " " + s.code().code());
        DocExamples.keep(s.code().code(), response);
    }

    static Stream<Named<LabScenario>> cdnScenarios() {
        return LabScenarios.all().stream().filter(s -> s.name().startsWith("cdn-")).map(s -> Named.of(s.name(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cdnScenarios")
    void theCdnScenariosAnswerAsTheirProfileDoes(LabScenario s) throws IOException {
        RawHttp.Response response = get(s);

        assertThat(response.status()).as(response.bodyText()).isEqualTo(s.status());
        if (s.outcome() == LabScenario.Outcome.SERVED) {
            assertThat(response.header("X-Gateway-Error-Code")).isNull();
            return;
        }
        String profile = lab.gateway().config().sites().stream().filter(site -> site.name().equals(s.name()))
                .findFirst().orElseThrow().profile().configName();
        assertThat(s.name()).endsWith("-" + profile);
        assertThat(response.header("X-Telltale-Profile")).isEqualTo(profile);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(s.code().code());
        assertThat(errorType(response)).isEqualTo(s.proxyStatusError());
    }

    @Test
    void theWebSocketScenariosEchoRefuseAndCutAsListed() throws Exception {
        int port = lab.endpoints().httpPort();
        String upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        LabScenario refused = LabScenarios.named("ws-refused");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            WsClient echo = WsClient.open(group, port, LabScenarios.named("ws-echo").host(), "/ws");
            echo.send("hello lab");
            assertThat(echo.next()).isEqualTo("hello lab");
            echo.sendClose();
            assertThat(echo.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();

            RawHttp.Response answer = GatewayErrors.get(port, refused.host(), "/ws", upgrade);
            GatewayErrors.assertGatewayError(answer, refused.status(), refused.code().code());
            assertThat(errorType(answer)).isEqualTo(refused.proxyStatusError());
            DocExamples.keep(refused.code().code(), answer);
            assertThat(get(refused).bodyText()).as("the page that opens the WebSocket").contains("new WebSocket(");

            WsClient idle = WsClient.open(group, port, LabScenarios.named("ws-idle").host(), "/ws");
            idle.send("then silence");
            assertThat(idle.next()).isEqualTo("then silence");
            assertThat(idle.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed for idleness").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> GatewayErrors.get(lab.endpoints().adminPort(),
                    "127.0.0.1", "/failures?code=TunnelCut", "").bodyText().contains("\"site\":\"ws-idle\""));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theShieldScenarioRelaysTheShieldsErrorAcrossTheHops() throws IOException {
        LabScenario s = LabScenarios.named("shield-failed");

        RawHttp.Response response = get(s);

        assertThat(response.status()).isEqualTo(s.status());
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(s.code().code());
        assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
        assertThat(response.header("Proxy-Status")).startsWith("shield; error=" + s.proxyStatusError())
                .containsPattern(", telltale; next-hop=\"127\\.0\\.0\\.1:\\d+\"; received-status=521$");
        assertThat(response.header("X-Gateway-Path")).isEqualTo("You -> telltale -> shield -x-> origin");
    }

    @Test
    void theLostPeerScenarioIsServedFromTheOriginAndSaysWhy() throws IOException {
        LabScenario s = LabScenarios.named("peer-lost");

        RawHttp.Response response = get(s);

        assertThat(response.status()).isEqualTo(s.status());
        assertThat(response.header("Cache-Status")).containsPattern(
                "owner 127\\.0\\.0\\.1:\\d+ unreachable \\(OriginConnectionRefused\\); fetched from the origin");
    }

    @Test
    void theHealthyScenarioIsServedAndThenHitInTheCache() throws IOException {
        LabScenario www = LabScenarios.named("www");

        RawHttp.Response first = get(www);
        RawHttp.Response second = get(www);

        assertThat(first.status()).isEqualTo(www.status());
        assertThat(first.header("X-Gateway-Error-Code")).isNull();
        assertThat(first.header("Proxy-Status")).isNull();
        assertThat(second.status()).isEqualTo(www.status());
        assertThat(second.header("X-Cache")).isEqualTo("Hit from gateway");
    }

    @Test
    void aRefusingAddressAmongGoodOnesIsPassedOverAndSaidSo() throws IOException {
        LabScenario s = LabScenarios.named("tcp-address-refused");

        RawHttp.Response response = get(s);

        assertThat(response.status()).isEqualTo(s.status());
        assertThat(response.header("X-Gateway-Failover")).contains("127.0.0.3 OriginConnectionRefused (connect)")
                .contains("served=\"partly.lab.test:");
    }

    @Test
    void anOriginGroupFailsOverAndSaysWhy() throws IOException {
        RawHttp.Response response = get(LabScenarios.named("group-failover"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Gateway-Failover")).contains("served=\"origin.lab.test:")
                .contains("www.lab.test:").contains("OriginConnectionRefused (connect)");
    }

    @Test
    void anOriginGroupWithEveryOriginDownListsEachAttempt() throws IOException {
        LabScenario s = LabScenarios.named("group-all-down");

        RawHttp.Response response = GatewayErrors.problemGet(lab.endpoints().httpPort(), s.host(), "/attempts");

        assertThat(response.bodyText()).contains("\"attempts\":[{\"origin\":\"www.lab.test:")
                .contains("{\"origin\":\"127.0.0.3:");
    }

    @Test
    void theDoctorScenariosServeTodayAndWarnOfTomorrowsFailureInOrigins() throws IOException {
        for (String name : List.of("doctor-address-refused", "doctor-certificate-expiring", "group-flapping")) {
            assertThat(get(LabScenarios.named(name)).status()).as(name).isEqualTo(200);
        }

        // The first check of each origin comes at a random point of its first 5 s interval.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(GatewayErrors.get(
                lab.endpoints().adminPort(), "127.0.0.1", "/origins", "").bodyText())
                .contains("\"kind\" : \"certificateExpiring\"")
                .contains("\"warning\" : \"addresses of the name fail while another serves: 127.0.0.3 "
                        + "OriginConnectionRefused\""));
    }

    @Test
    void theOriginsOwnErrorIsPassedThroughAndSaidSo() throws IOException {
        LabScenario s = LabScenarios.named("http-origin-500");

        RawHttp.Response response = get(s);

        assertThat(response.status()).isEqualTo(s.status());
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
        assertThat(GatewayErrors.param(proxyStatusParams(response.header("Proxy-Status")), "received-status"))
                .isEqualTo(Integer.toString(s.status()));
    }

    @Test
    void theStaleScenarioServesTheStoredCopyNamingTheFailureOnceItsOriginIsDown() throws IOException {
        LabScenario s = LabScenarios.named("stale");

        RawHttp.Response first = get(s);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("X-Cache")).isEqualTo("Miss from gateway");
        // The origin stops listening right after its one answer; until it has, a racing request may see a 503.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            RawHttp.Response later = get(s);
            assertThat(later.status()).isEqualTo(s.status());
            assertThat(later.bodyText()).isEqualTo(first.bodyText());
            assertThat(later.header("X-Cache")).isEqualTo("Hit from gateway");
            assertThat(later.header("Cache-Status")).contains("fwd=stale").endsWith("detail=" + s.code().code());
        });
    }

    @Test
    void theLoopComesBackAsLoopDetected() throws IOException {
        LabScenario s = LabScenarios.named("loop");

        RawHttp.Response response = get(s);
        // What the gateway answered when the request came back to it, carrying its own Via.
        RawHttp.Response returned = GatewayErrors.get(lab.endpoints().httpPort(), s.host(), "/", "Via: 1.1 telltale\r\n");

        assertThat(response.status()).isEqualTo(s.status());
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(s.code().code());
        // One member per hop, the origin's side first: the inner refusal, then the outer hop that received it.
        String proxyStatus = response.header("Proxy-Status");
        assertThat(proxyStatus).contains("error=proxy_loop_detected").contains("received-status=508");
        assertThat(proxyStatus.indexOf("error=proxy_loop_detected")).isLessThan(proxyStatus.indexOf("received-status=508"));
        GatewayErrors.assertGatewayError(returned, s.status(), s.code().code());
        assertThat(errorType(returned)).isEqualTo(s.proxyStatusError());
        DocExamples.keep(s.code().code(), returned);
    }

    @Test
    void theEdgeRuleLetsAShortUrlThrough() throws IOException {
        LabScenario s = LabScenarios.named("edge-rule-invalid");

        RawHttp.Response response = get(s.host(), "/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
    }

    @Test
    void aResetMidBodyAbortsTheConnectionAndJournalsTheFailure() throws IOException {
        LabScenario s = LabScenarios.named("http-reset-mid-body");

        String received = readUntilClosed(s.host());

        assertThat(received).startsWith("HTTP/1.1 " + s.status() + " ");
        String head = received.substring(0, received.indexOf("\r\n\r\n"));
        assertThat(received.length() - head.length() - 4).isLessThan(1 << 20);
        String requestId = head.lines().filter(l -> l.toLowerCase().startsWith("x-request-id:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RawHttp.Response journaled = GatewayErrors.get(lab.endpoints().adminPort(), "127.0.0.1",
                    "/failures/" + requestId, "");
            assertThat(journaled.status()).isEqualTo(200);
            assertThat(json(journaled.bodyText())).containsEntry("responseStarted", true)
                    .extractingByKey("failure", InstanceOfAssertFactories.MAP)
                    .containsEntry("code", s.code().code()).containsEntry("proxyStatusError", s.proxyStatusError());
        });
    }

    /** Sends one GET and reads whatever arrives until the connection ends, cleanly or by a reset. */
    private static String readUntilClosed(String host) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), lab.endpoints().httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // Expected: the gateway aborts the connection once the origin resets.
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyScenarioButTheUnconfiguredOneIsASiteOfLabYaml() {
        Set<String> sites = lab.gateway().config().sites().stream().map(SiteConfig::name).collect(Collectors.toSet());
        Set<String> expected = LabScenarios.all().stream().filter(LabScenario::available).map(LabScenario::name)
                .filter(name -> !name.equals("nosuch")).collect(Collectors.toSet());
        expected.add("landing");

        assertThat(sites).isEqualTo(expected);
        assertThat(lab.gateway().config().sites()).allSatisfy(site -> assertThat(site.hosts())
                .containsExactly(site.name().equals("landing") ? LabScenario.DOMAIN : site.name() + "." + LabScenario.DOMAIN));
    }

    @Test
    void theLandingPageListsEveryScenarioWithItsLinkCodeAndCatalogueEntry() throws IOException {
        RawHttp.Response page = get(LabScenario.DOMAIN, "/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String html = page.bodyText();
        for (LabScenario s : LabScenarios.all()) {
            assertThat(html).contains("<tr id=\"" + s.name() + "\"");
            if (s.available()) {
                assertThat(html).contains("<a href=\"" + s.url(lab.endpoints().httpPort()) + "\">" + s.name() + "</a>");
            } else {
                assertThat(html).contains("Unavailable here: " + s.unavailableReason().replace("'", "&#39;"));
            }
            if (s.code() != null) {
                assertThat(html).contains("<a href=\"" + s.catalogueLink() + "\">" + s.code().code() + "</a>");
                assertThat(html).contains(s.expectation());
            }
        }
        assertThat(html).contains(lab.endpoints().caFile().toString()).doesNotContain("<script").doesNotContain("src=");
    }

    @Test
    void theLandingPageShowsEachCdnsComputedVerdictOnTheSameOrigins() {
        // The lab runs preflight against its own origins once it is up; the rows fill in as each finishes.
        String html = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(LabScenario.DOMAIN, "/").bodyText(), page -> !page.contains("probing"));

        assertThat(row(html, "chain-out-of-order")).contains("FAIL 502 OriginSslChainOutOfOrder")
                .contains("--resolver " + lab.endpoints().dnsResolver());
        assertThat(cells(html, "chain-out-of-order").get(1)).startsWith("pass");
        List<String> tls13 = cells(html, "tls13-only");
        assertThat(tls13.get(0)).contains("FAIL 502 OriginSslHandshakeFailed");
        assertThat(tls13.get(2)).startsWith("pass");
        assertThat(tls13.get(3)).as("Flexible speaks plain HTTP to a TLS-only origin").contains("FAIL 520");
        assertThat(cells(html, "chain-out-of-order").get(3)).contains("FAIL 520");
        assertThat(html).containsPattern("<tr id=\"cdn-port-\\d+\">");
        String port = html.substring(html.indexOf("<tr id=\"cdn-port-") + 12, html.indexOf("\">", html.indexOf("<tr id=\"cdn-port-")));
        List<String> ported = cells(html, port);
        assertThat(ported.get(0)).startsWith("pass");
        assertThat(ported.get(1)).contains("FAIL port not proxied");
        List<String> slow = cells(html, "slow-first-byte");
        assertThat(slow.get(0)).startsWith("pass");
        assertThat(slow.get(4)).contains("FAIL 503 first byte timeout");
        assertThat(slow.get(5)).contains("FAIL").contains("ERR_READ_TIMEOUT");
        List<String> selfSigned = cells(html, "self-signed");
        assertThat(selfSigned.get(1)).startsWith("pass");
        assertThat(selfSigned.get(2)).contains("FAIL 526");
        assertThat(selfSigned.get(3)).contains("FAIL 520");
    }

    private static String row(String html, String name) {
        int start = html.indexOf("<tr id=\"cdn-" + name + "\">");
        assertThat(start).as("row " + name).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    /** Returns a matrix row's verdict cells, in the column order cloudfront, cloudflare-full, -strict, -flexible, fastly, akamai. */
    private static List<String> cells(String html, String name) {
        List<String> all = Stream.of(row(html, name).split("<td>")).skip(1).map(c -> c.replace("</td>", "")).toList();
        return all.subList(1, all.size());
    }

    @Test
    void everyCatalogueLinkOfTheLandingPageAnswers() throws IOException {
        for (String link : LabScenarios.all().stream().map(LabScenario::catalogueLink).filter(l -> l != null)
                .distinct().toList()) {
            assertThat(get(LabScenario.DOMAIN, link).status()).as(link).isEqualTo(200);
        }
    }

    @Test
    void theAdminJsonListsTheSameScenarios() throws IOException {
        RawHttp.Response response = GatewayErrors.get(lab.endpoints().adminPort(), "127.0.0.1", Lab.SCENARIOS_PATH, "");

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = json(response.bodyText());
        assertThat(body).containsEntry("landing", lab.endpoints().landingUrl())
                .containsEntry("caFile", lab.endpoints().caFile().toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body.get("scenarios");
        assertThat(listed).hasSameSizeAs(LabScenarios.all());
        for (int i = 0; i < listed.size(); i++) {
            LabScenario s = LabScenarios.all().get(i);
            assertThat(listed.get(i)).containsEntry("name", s.name()).containsEntry("url", s.url(lab.endpoints().httpPort()))
                    .containsEntry("status", s.status())
                    .containsEntry("code", s.code() == null ? null : s.code().code())
                    .containsEntry("proxyStatusError", s.proxyStatusError())
                    .containsEntry("available", s.available())
                    .containsEntry("unavailableReason", s.unavailableReason());
        }
    }

    @Test
    void theHttp2OriginScenariosNameTheResetAndTheGoAwayWithTheirEvidence() throws IOException {
        LabScenario reset = LabScenarios.named("h2-stream-reset");
        LabScenario goAway = LabScenarios.named("h2-goaway");

        RawHttp.Response resetAnswer = GatewayErrors.problemGet(lab.endpoints().httpPort(), reset.host(), "/reset");
        RawHttp.Response goAwayAnswer = GatewayErrors.problemGet(lab.endpoints().httpPort(), goAway.host(), "/goaway");

        List<GatewayErrors.Param> resetStatus = GatewayErrors.assertGatewayError(resetAnswer, reset.status(),
                reset.code().code());
        assertThat(GatewayErrors.param(resetStatus, "details")).isEqualTo("RST_STREAM INTERNAL_ERROR");
        assertThat(GatewayErrors.evidence(GatewayErrors.problem(resetAnswer)))
                .containsEntry("http2.errorCode", "INTERNAL_ERROR").containsKey("http2.streamId")
                .doesNotContainKey("http2.unprocessed");
        List<GatewayErrors.Param> goAwayStatus = GatewayErrors.assertGatewayError(goAwayAnswer, goAway.status(),
                goAway.code().code());
        assertThat(GatewayErrors.param(goAwayStatus, "error")).isEqualTo(goAway.proxyStatusError());
        Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(goAwayAnswer));
        assertThat(evidence).containsEntry("http2.errorCode", "INTERNAL_ERROR")
                .containsEntry("http2.debugData", Http2FaultOrigin.GOAWAY_DEBUG_DATA)
                .containsEntry("http2.lastStreamId", evidence.get("http2.streamId"))
                .doesNotContainKey("http2.unprocessed");
    }

    @Test
    void theRefusedStreamScenarioIsSentAgainAndServedNamingTheRefusal() throws IOException {
        LabScenario s = LabScenarios.named("h2-refused-stream");

        for (int i = 0; i < 2; i++) {
            RawHttp.Response response = get(s);

            assertThat(response.status()).as(response.bodyText()).isEqualTo(s.status());
            assertThat(response.header("X-Gateway-Error-Code")).isNull();
            assertThat(response.bodyText()).contains("answered: the one before it was refused");
            assertThat(response.header("X-Gateway-Failover")).contains("served=\"www.lab.test:")
                    .contains("OriginStreamReset");
        }
    }

    @Test
    void theLabCaIsWrittenToTheStateDirectory() throws IOException {
        assertThat(lab.endpoints().caFile()).startsWith(state.toAbsolutePath());
        assertThat(Files.readString(lab.endpoints().caFile())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(lab.endpoints().httpsPort()).isPositive();
    }
}
