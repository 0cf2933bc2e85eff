package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.tls.CertificateFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrorPageTest {
    private static final String HTML_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";
    private static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");
    private static final CertificateFacts LEAF = new CertificateFacts("CN=expired.example.test,O=Example",
            "CN=Example Intermediate,O=Example", "expired.example.test", List.of("expired.example.test"), List.of(),
            Instant.parse("2026-09-02T23:13:00Z"), Instant.parse("2026-12-01T23:13:00Z"), "AB:CD", false, "SHA256withRSA", "RSA", 2048, true);
    private static final CertificateFacts INTERMEDIATE = new CertificateFacts("CN=Example Intermediate,O=Example",
            "CN=Example Root,O=Example", "Example Intermediate", List.of(), List.of(),
            Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"), "EF:01", false, "SHA256withRSA", "RSA", 2048, true);

    @Test
    void whatHappenedNamesTheCertificateAndWhenItExpiredInsteadOfTheTitle() {
        String html = page(expired(LEAF, INTERMEDIATE, 0), true);

        assertThat(whatHappened(html))
                .isEqualTo("The certificate of expired.example.test expired on 1 Dec 2026 at 23:13 UTC, 1 day ago.")
                .isNotEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED.title());
    }

    @Test
    void whatHappenedNamesAnExpiredIntermediateByItsPosition() {
        CertificateFacts oldIntermediate = new CertificateFacts(INTERMEDIATE.subject(), INTERMEDIATE.issuer(),
                INTERMEDIATE.commonName(), List.of(), List.of(), Instant.parse("2021-01-01T00:00:00Z"),
                Instant.parse("2026-11-30T12:00:00Z"), "EF:02", false, "SHA256withRSA", "RSA", 2048, true);
        CertificateFacts validLeaf = new CertificateFacts(LEAF.subject(), LEAF.issuer(), LEAF.commonName(), LEAF.dnsNames(),
                List.of(), LEAF.notBefore(), Instant.parse("2027-03-01T00:00:00Z"), "AB:CE", false, "SHA256withRSA", "RSA", 2048, true);

        String html = page(expired(validLeaf, oldIntermediate, 1), true);

        assertThat(whatHappened(html)).isEqualTo("The intermediate certificate \u201cExample Intermediate\u201d (chain position 1) "
                + "sent by expired.example.test expired on 30 Nov 2026 at 12:00 UTC, 2 days ago.");
        List<String> cards = cards(html);
        assertThat(cards.get(0)).startsWith("<li class=\"cert\">").contains(">leaf<");
        assertThat(cards.get(1)).startsWith("<li class=\"cert failed\">").contains(">intermediate<")
                .contains("expired on 30 Nov 2026 at 12:00 UTC, 2 days ago");
    }

    @Test
    void chainCardsMarkTheExpiredLeafAndPlaceNowAfterItsValidity() {
        String html = page(expired(LEAF, INTERMEDIATE, 0), true);

        List<String> cards = cards(html);
        assertThat(cards).hasSize(2);
        assertThat(cards.get(0)).startsWith("<li class=\"cert failed\">")
                .contains("expired.example.test", "Example Intermediate", "2 Sep 2026 &ndash; 1 Dec 2026",
                        "class=\"period out\"", "class=\"now-label end\"");
        assertThat(left(cards.get(0), "now")).isGreaterThan(left(cards.get(0), "period out"));
        assertThat(cards.get(1)).startsWith("<li class=\"cert\">").contains("class=\"period\"").doesNotContain("verdict");
    }

    @Test
    void remediationShowsCommandsAsCodeWithoutBackticks() throws IOException {
        String html = page(RealFailures.refusal("origin.test"), true);

        assertThat(html).contains("<pre class=\"cmd\"><code>nc -vz 127.0.0.1 ").contains("<pre class=\"cmd\"><code>ss -ltnp")
                .doesNotContain("`");
        assertThat(RemediationHtml.step("Raise `limits.maxBodySize` if bodies of this size are expected."))
                .isEqualTo("Raise <code>limits.maxBodySize</code> if bodies of this size are expected.");
        assertThat(RemediationHtml.step("Check the records: dig @127.0.0.1 a.test A and dig @127.0.0.1 a.test AAAA"))
                .isEqualTo("Check the records: <pre class=\"cmd\"><code>dig @127.0.0.1 a.test A</code></pre>"
                        + "<pre class=\"cmd\"><code>dig @127.0.0.1 a.test AAAA</code></pre>");
        assertThat(RemediationHtml.step("Check the delegation: dig a.test NS +short, then ask each name server."))
                .isEqualTo("Check the delegation: <pre class=\"cmd\"><code>dig a.test NS +short</code></pre>"
                        + "then ask each name server.");
    }

    @Test
    void everyCataloguePageShowsItsCommandsWithoutBackticks() {
        for (FailureCode code : FailureCode.values()) {
            String html = ErrorPage.entryHtml(code, "telltale");

            assertThat(html).as(code.code()).doesNotContain("`");
        }
    }

    @Test
    void javaNamesStayInProblemJsonAndOffThePage() throws IOException {
        Failure refusal = RealFailures.refusal("origin.test");

        String html = page(refusal, true);
        String json = new String(ErrorResponseRenderer.render(refusal, context(true, "application/problem+json", null)).body(),
                StandardCharsets.UTF_8);

        assertThat(json).contains("java.net.ConnectException");
        assertThat(html).doesNotContain("java.").doesNotContain("Exception").contains("Origin address", "127.0.0.1");
        assertThat(whatHappened(html)).matches("origin\\.test \\(127\\.0\\.0\\.1\\) refused the gateway's connection to port "
                + "\\d+: nothing is listening there\\.");
    }

    @Test
    void waterfallPlacesEachStepAndMarksTheFailedOne() throws IOException {
        RequestTimeline t = new RequestTimeline(1_000_000);
        t.dnsStarted(1_000_000);
        t.dnsDone(3_000_000);
        t.connectStarted(3_500_000);
        t.connectFailed(4_750_000);
        t.done(5_000_000);

        String html = new String(ErrorResponseRenderer.render(RealFailures.refusal("origin.test"),
                context(true, HTML_ACCEPT, t)).body(), StandardCharsets.UTF_8);

        assertThat(html).contains("<li class=\"step-row ok\" data-step=\"dns\"><span class=\"label\">DNS lookup</span>"
                + "<span class=\"track\"><span class=\"bar\" style=\"left:0.0%;width:50.0%\"></span></span>"
                + "<span class=\"time\">2.00 ms</span></li>");
        assertThat(html).contains("<li class=\"step-row failed\" data-step=\"tcp\"><span class=\"label\">TCP connect</span>"
                + "<span class=\"track\"><span class=\"bar\" style=\"left:62.5%;width:31.3%\"></span></span>"
                + "<span class=\"time\">&#10007; failed after 1.25 ms</span></li>");
        assertThat(html).contains("data-step=\"tls\"><span class=\"label\">TLS handshake</span><span class=\"track\"></span>"
                + "<span class=\"time\">not reached</span>");
        assertThat(html).contains("The gateway answered 4.00 ms after the request arrived.");
    }

    @Test
    void publicVisitorsGetTheMeaningAndNoEvidence() throws IOException {
        String html = page(RealFailures.refusal("origin.test"), false);

        assertThat(whatHappened(html)).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.meaning());
        assertThat(html).doesNotContain("class=\"evidence\"").doesNotContain("127.0.0.1")
                .doesNotContain("class=\"steps-to-fix\"");
    }

    @Test
    void delegationFindingsAreATableWithTheFailingServerMarked() {
        Evidence delegation = Evidence.builder().put("delegation", java.util.Map.of(
                "name", "www.lame.test", "apex", "lame.test", "parent", "test", "complete", true, "elapsedMs", 12,
                "servers", List.of(
                        java.util.Map.of("zone", "lame.test", "ns", "ns1.lame.test", "address", "127.0.0.1:5301",
                                "role", "child", "outcome", "REFUSED", "ms", 3),
                        java.util.Map.of("zone", "lame.test", "ns", "ns2.lame.test", "address", "127.0.0.1:5302",
                                "role", "child", "outcome", "NOERROR aa serial=7", "ms", 2)),
                "findings", List.of(java.util.Map.of("id", "SERVER_REFUSED", "finding",
                        "ns1.lame.test refused to answer for lame.test.", "repeat", "dig @127.0.0.1 -p 5301 lame.test SOA")))).build();

        String html = page(Failure.of(FailureCode.NON_S3_ORIGIN_DNS_ERROR, "The resolver answered SERVFAIL for www.lame.test.",
                delegation), true);

        assertThat(html).contains("belongs to the zone <code>lame.test</code>, delegated by <code>test</code>; checked in 12 ms.")
                .contains("<tr class=\"bad\"><td data-label=\"Zone\">lame.test</td><td data-label=\"Server\">ns1.lame.test</td>")
                .contains("<tr><td data-label=\"Zone\">lame.test</td><td data-label=\"Server\">ns2.lame.test</td>")
                .contains("<li><strong>SERVER_REFUSED</strong> ns1.lame.test refused to answer for lame.test.</li>");
        assertThat(whatHappened(html)).isEqualTo("The resolver answered SERVFAIL for www.lame.test.");
    }

    private static Failure expired(CertificateFacts leaf, CertificateFacts intermediate, int index) {
        CertificateFacts culprit = index == 0 ? leaf : intermediate;
        Evidence evidence = Evidence.builder()
                .put("host", "expired.example.test").put("port", 443).put("sniSent", "expired.example.test")
                .put("certificate", culprit.subject()).put("certificateIndex", index).put("now", NOW.toString())
                .put("notAfter", culprit.notAfter().toString())
                .put("chain", List.of(leaf.toEvidence(), intermediate.toEvidence()))
                .put("jsseError", "CertificateExpiredException: NotAfter: Tue Dec 01 23:13:00 UTC 2026")
                .build();
        return Failure.of(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED, "The origin's certificate has expired.", evidence);
    }

    private static String page(Failure failure, boolean trusted) {
        return new String(ErrorResponseRenderer.render(failure, context(trusted, HTML_ACCEPT, null)).body(),
                StandardCharsets.UTF_8);
    }

    private static ErrorContext context(boolean trusted, String accept, RequestTimeline timeline) {
        return new ErrorContext("req-7", "shop", "expired.example.test:443", "GET", "www.example", "/", timeline, trusted,
                accept, "telltale", null, NOW, List.of());
    }

    private static String whatHappened(String html) {
        Matcher m = Pattern.compile("<p id=\"what-happened\">(.*?)</p>").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1).replace("&#39;", "'");
    }

    private static List<String> cards(String html) {
        return Pattern.compile("<li class=\"cert.*?</li>").matcher(html).results().map(java.util.regex.MatchResult::group).toList();
    }

    private static double left(String card, String cls) {
        Matcher m = Pattern.compile("class=\"" + cls + "\" style=\"left:([0-9.]+)%").matcher(card);
        assertThat(m.find()).as(cls).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
