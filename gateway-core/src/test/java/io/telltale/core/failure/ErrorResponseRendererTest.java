package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorResponseRendererTest {
    private static final String HTML_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "application/problem+json", HTML_ACCEPT})
    void publicResponseLeaksNoEvidenceWhenClientIsUntrusted(String accept) throws IOException {
        Failure failure = realRefusal().withEvidence(Evidence.builder()
                .put("resolver", "10.53.0.7").put("sni", "secret-origin.internal").build());
        // A fact that the catalogue text itself contains (nginx's "Connection refused") is no leak.
        RenderedError baseline = ErrorResponseRenderer.render(
                Failure.of(failure.code(), "", Evidence.empty()), context(false, accept, null));
        String publicText = new String(baseline.body(), StandardCharsets.UTF_8);
        List<String> secrets = new ArrayList<>();
        failure.evidence().facts().forEach((k, v) -> {
            if (!(v instanceof Boolean) && !publicText.contains(String.valueOf(v))) {
                secrets.add(String.valueOf(v));
            }
        });
        assertThat(secrets).contains("127.0.0.1", "secret-origin.internal", "java.net.ConnectException");

        RenderedError error = ErrorResponseRenderer.render(failure, context(false, accept, timelineConnectFailed()));

        String everything = new String(error.body(), StandardCharsets.UTF_8) + error.headers();
        for (String secret : secrets) {
            assertThat(everything).as("leaks %s", secret).doesNotContain(secret);
        }
        assertThat(everything).doesNotContain("origin.test").doesNotContain("shop-site").doesNotContain("nc -vz")
                .doesNotContain(failure.detail())
                .contains("OriginConnectionRefused", "req-42", FailureCode.ORIGIN_CONNECTION_REFUSED.title());
    }

    @Test
    void trustedProblemJsonCarriesEveryMemberWhenAsked() throws IOException {
        Failure failure = realRefusal();

        RenderedError error = ErrorResponseRenderer.render(failure, context(true, "application/problem+json", timelineConnectFailed()));

        assertThat(error.status()).isEqualTo(521);
        assertThat(error.contentType()).isEqualTo("application/problem+json");
        JsonNode json = new ObjectMapper().readTree(error.body());
        assertThat(json.get("type").asText()).isEqualTo("/__telltale/errors/OriginConnectionRefused");
        assertThat(json.get("title").asText()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.title());
        assertThat(json.get("status").asInt()).isEqualTo(521);
        assertThat(json.get("detail").asText()).isEqualTo(failure.detail());
        assertThat(json.get("instance").asText()).isEqualTo("/__telltale/requests/req-42");
        assertThat(json.get("code").asText()).isEqualTo("OriginConnectionRefused");
        assertThat(json.get("edgeError").asText()).isEqualTo("521");
        assertThat(json.get("phase").asText()).isEqualTo("connect");
        assertThat(json.get("origin").asText()).isEqualTo("origin.test:8081");
        assertThat(json.get("evidence").get("origin.address").asText()).isEqualTo("127.0.0.1");
        assertThat(json.get("remediation").get(0).asText()).startsWith("Test the port").contains("127.0.0.1");
        assertThat(json.get("alsoKnownAs").get("Cloudflare").asText()).isEqualTo("521 Web server is down");
        assertThat(json.get("requestId").asText()).isEqualTo("req-42");
        assertThat(json.get("timeline").get(1).get("state").asText()).isEqualTo("failed");
    }

    @Test
    void untrustedProblemJsonHasOnlyPublicMembersWhenAsked() throws IOException {
        RenderedError error = ErrorResponseRenderer.render(realRefusal(), context(false, "application/json", null));

        JsonNode json = new ObjectMapper().readTree(error.body());
        assertThat(json.get("detail").asText()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.meaning());
        assertThat(json.has("evidence")).isFalse();
        assertThat(json.has("origin")).isFalse();
        assertThat(json.has("remediation")).isFalse();
        assertThat(json.get("advice").asText()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.visitorAdvice());
    }

    @Test
    void headersExplainTheErrorWhenRendered() throws IOException {
        Failure failure = realRefusal();

        RenderedError error = ErrorResponseRenderer.render(failure, context(true, null, null));

        assertThat(error.header("X-Cache")).isEqualTo("Error from gateway");
        assertThat(error.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionRefused");
        assertThat(error.header("Proxy-Status")).startsWith("telltale; error=connection_refused; next-hop=\"origin.test:");
        assertThat(error.header("X-Request-Id")).isEqualTo("req-42");
        assertThat(error.header("Cache-Status")).isEqualTo("telltale; fwd=miss; detail=\"OriginConnectionRefused\"");
        assertThat(error.header("Cache-Control")).isEqualTo("no-store");
        assertThat(error.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(error.headers()).extracting(Map.Entry::getKey).containsExactly("X-Cache", "X-Gateway-Error-Code",
                "Proxy-Status", "X-Request-Id", "Cache-Status", "Cache-Control", "Content-Type");
    }

    @Test
    void cacheControlFollowsTheCacheWhenItKeepsTheError() throws IOException {
        ErrorContext ctx = new ErrorContext("r", null, null, "GET", "h", "/", null, false, null, "telltale", "max-age=10");

        assertThat(ErrorResponseRenderer.render(realRefusal(), ctx).header("Cache-Control")).isEqualTo("max-age=10");
    }

    @Test
    void htmlEscapesRequestDataAndEvidenceWhenRendered() throws IOException {
        Failure failure = realRefusal().withEvidence(Evidence.builder().put("note", "<b onmouseover=x>").build());
        ErrorContext ctx = new ErrorContext("req-<1>", "shop-site", "origin.test:1", "GET", "<script>alert(1)</script>", "/",
                null, true, HTML_ACCEPT, "telltale", null);

        String html = new String(ErrorResponseRenderer.render(failure, ctx).body(), StandardCharsets.UTF_8);

        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script>").doesNotContain("<b onmouseover")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b onmouseover=x&gt;", "req-&lt;1&gt;")
                .doesNotContain("src=\"http").doesNotContain("href=\"http");
    }

    @Test
    void htmlShowsTheHopStripWhenTheConnectFailed() throws IOException {
        String html = new String(ErrorResponseRenderer.render(realRefusal(), context(false, HTML_ACCEPT, timelineConnectFailed())).body(),
                StandardCharsets.UTF_8);

        assertThat(html).contains("You<br>", "telltale<br>", "class=\"step ok\" title=\"ok\">DNS",
                "class=\"step failed\" title=\"failed\">TCP", "class=\"step not-reached\" title=\"not reached\">TLS",
                "What happened?", "What can I do?");
    }

    @Test
    void hopStripMarksTlsSkippedWhenPlainHttpFailsAtTheResponse() {
        RequestTimeline t = new RequestTimeline(1);
        t.dnsStarted(2);
        t.dnsDone(3_000_002);
        t.connectStarted(4_000_000);
        t.connectDone(5_000_000);
        t.requestSent(6_000_000);

        List<HopStrip.Step> steps = HopStrip.steps(FailureCode.ORIGIN_RESPONSE_TIMEOUT, t);

        assertThat(steps).extracting(HopStrip.Step::state).containsExactly(
                HopStrip.State.OK, HopStrip.State.OK, HopStrip.State.SKIPPED, HopStrip.State.FAILED);
        assertThat(steps.get(0).millis()).isEqualTo(3);
    }

    @Test
    void hopStripMarksNothingFailedWhenTheGatewayRefusedTheRequest() {
        assertThat(HopStrip.steps(FailureCode.HOST_NOT_CONFIGURED, null)).extracting(HopStrip.Step::state)
                .containsOnly(HopStrip.State.NOT_REACHED);
    }

    @Test
    void passThroughHeadersNameTheReceivedStatusWhenTheOriginSentA5xx() {
        assertThat(ErrorResponseRenderer.passThroughHeaders(503, "telltale", "origin.test:8080", false)).containsExactly(
                Map.entry("X-Cache", "Error from gateway"),
                Map.entry("Proxy-Status", "telltale; received-status=503"),
                Map.entry("Cache-Status", "telltale; fwd=miss; fwd-status=503"));
        assertThat(ErrorResponseRenderer.passThroughHeaders(502, "telltale", "origin.test:8080", true).get(1).getValue())
                .isEqualTo("telltale; next-hop=\"origin.test:8080\"; received-status=502");
    }

    @Test
    void cataloguePageIsServedAsHtmlOrJsonWhenAsked() throws IOException {
        RenderedError html = ErrorResponseRenderer.renderCataloguePage("NonS3OriginDnsError", HTML_ACCEPT, "telltale");
        RenderedError json = ErrorResponseRenderer.renderCataloguePage("nons3origindnserror", "application/json", "telltale");

        assertThat(html.status()).isEqualTo(200);
        assertThat(new String(html.body(), StandardCharsets.UTF_8)).contains("<h1>", "dig @{resolver} {origin.host} A", "1016 Origin DNS error");
        JsonNode node = new ObjectMapper().readTree(json.body());
        assertThat(node.get("code").asText()).isEqualTo("NonS3OriginDnsError");
        assertThat(node.get("ownerAdvice").size()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR.ownerAdvice().size());
    }

    @Test
    void unknownCataloguePageIs404WithSuggestionsWhenMistyped() {
        RenderedError error = ErrorResponseRenderer.renderCataloguePage("OriginConectTimeout", "*/*", "telltale");

        assertThat(error.status()).isEqualTo(404);
        assertThat(new String(error.body(), StandardCharsets.UTF_8)).contains("OriginConnectTimeout");
    }

    private static Failure realRefusal() throws IOException {
        return RealFailures.refusal("origin.test");
    }

    private static ErrorContext context(boolean trusted, String accept, RequestTimeline timeline) {
        return new ErrorContext("req-42", "shop-site", "origin.test:8081", "GET", "www.example", "/index.html",
                timeline, trusted, accept, "telltale", null);
    }

    private static RequestTimeline timelineConnectFailed() {
        RequestTimeline t = new RequestTimeline(1);
        t.dnsStarted(2);
        t.dnsDone(1_000_002);
        t.connectStarted(2_000_000);
        return t;
    }
}
