package io.telltale.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFC 9111 / RFC 9213 rules of issue 16, through the real gateway: the origin's Age, strict HTTP dates, which
 * origin errors are stored, targeted cache-control fields, and stale copies while the origin is unreachable.
 * Time is the origin's to set (Date, Age), so nothing waits.
 */
class CacheRfcRulesTest {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private WireMockServer origin;
    private GatewayFixture gateway;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        origin = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").gzipDisabled(true));
        origin.start();
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                  - name: custom
                    hosts: [custom.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {targetedField: Edge-Cache-Control, removeTargetedField: false, removeCdnCacheControl: true}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                  - name: short
                    hosts: [short.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {staleIfUnreachable: 10m}
                    origins: [{host: 127.0.0.1, httpPort: %1$d, connectTimeout: 2s, responseTimeout: 5s}]
                  - name: down
                    hosts: [down.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %2$d, connectTimeout: 2s, responseTimeout: 5s}]
                """.formatted(origin.port(), closedPort));
    }

    @AfterEach
    void stop() {
        gateway.close();
        if (origin.isRunning()) {
            origin.stop();
        }
    }

    private RawHttp.Response fetch(String path) throws IOException {
        return fetch("www.test", path);
    }

    private RawHttp.Response fetch(String host, String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    private void stub(String path, ResponseDefinitionBuilder response) {
        origin.stubFor(get(urlEqualTo(path)).willReturn(response.withBody("body of " + path)));
    }

    private int originRequests(String path) {
        return origin.findAll(getRequestedFor(urlEqualTo(path))).size();
    }

    private static String date(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    // ---- the origin's Age (RFC 9111 §4.2.3, §5.1) ----

    @Test
    void findsAResponseWhoseAgeExceedsItsMaxAgeStaleOnArrival() throws IOException {
        stub("/age/old", aResponse().withHeader("Cache-Control", "max-age=3600").withHeader("Age", "7200")
                .withHeader("ETag", "\"old\""));

        fetch("/age/old");
        RawHttp.Response second = fetch("/age/old");

        assertThat(second.header("Cache-Status")).contains("fwd=stale");
        assertThat(originRequests("/age/old")).isEqualTo(2);
        assertThat(origin.findAll(getRequestedFor(urlEqualTo("/age/old"))).get(1).getHeader("If-None-Match"))
                .isEqualTo("\"old\"");
    }

    @Test
    void answersAHitWithTheOriginsAgePlusItsTimeInTheCache() throws IOException {
        stub("/age/young", aResponse().withHeader("Cache-Control", "max-age=3600").withHeader("Age", "30"));

        fetch("/age/young");
        RawHttp.Response hit = fetch("/age/young");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(Integer.parseInt(hit.header("Age"))).isBetween(30, 40);
        assertThat(Integer.parseInt(hit.header("Cache-Status").replaceAll(".*ttl=", ""))).isBetween(3560, 3570);
        assertThat(originRequests("/age/young")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7200, 0", "2147483649", "99999999999999999999"})
    void takesTheFirstMemberOfAnAgeListAndSaturatesAHugeAge(String age) throws IOException {
        String path = "/age/list/" + age.length();
        stub(path, aResponse().withHeader("Cache-Control", "max-age=3600").withHeader("Age", age));

        fetch(path);
        fetch(path);

        assertThat(originRequests(path)).as("stale on arrival, nothing to revalidate with: not reused").isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7200a", "-7200", "7200.0", "abc"})
    void ignoresAMalformedAge(String age) throws IOException {
        String path = "/age/bad/" + age.replace('.', '-');
        stub(path, aResponse().withHeader("Cache-Control", "max-age=3600").withHeader("Age", age));

        fetch(path);
        RawHttp.Response hit = fetch(path);

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(Integer.parseInt(hit.header("Age"))).isLessThan(10);
    }

    // ---- strict HTTP dates (RFC 9110 §5.6.7, RFC 9111 §5.3) ----

    @ParameterizedTest
    @ValueSource(strings = {"Thu, 01 Dec 2050 16:00:00 PST", "Thu, 01 Dec 2050 16:00:00 UTC",
        "Thu, 01-Dec-2050 16:00:00 GMT", "Thu 01 Dec 2050 16:00:00 GMT", "Thu, 01 Dec 2050 6:00:00 GMT",
        "Thu, 01 Dec 50 16:00:00 GMT", "Thu, 1 Dec 2050 16:00:00 GMT", "0"})
    void treatsAnInvalidExpiresAsAlreadyExpired(String expires) throws IOException {
        String path = "/expires/" + Integer.toHexString(expires.hashCode());
        stub(path, aResponse().withHeader("Date", date(Instant.now())).withHeader("Expires", expires));

        fetch(path);
        RawHttp.Response second = fetch(path);

        assertThat(second.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(originRequests(path)).isEqualTo(2);
    }

    @Test
    void treatsSeveralExpiresFieldsAsAlreadyExpired() throws IOException {
        String future = date(Instant.now().plus(Duration.ofHours(1)));
        stub("/expires/twice", aResponse().withHeader("Date", date(Instant.now())).withHeader("Expires", future, future));

        fetch("/expires/twice");
        fetch("/expires/twice");

        assertThat(originRequests("/expires/twice")).isEqualTo(2);
    }

    @Test
    void acceptsEachOfTheThreeDateForms() throws IOException {
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        String[] forms = {IMF_FIXDATE.format(inAnHour), RFC850.format(inAnHour), ASCTIME.format(inAnHour)};
        for (int i = 0; i < forms.length; i++) {
            String path = "/expires/valid/" + i;
            stub(path, aResponse().withHeader("Date", date(Instant.now())).withHeader("Expires", forms[i]));

            fetch(path);
            RawHttp.Response hit = fetch(path);

            assertThat(hit.header("X-Cache")).as(forms[i]).isEqualTo("Hit from gateway");
            assertThat(originRequests(path)).isEqualTo(1);
        }
    }

    // ---- origin errors (RFC 9111 §3, §4.2.2) ----

    @ParameterizedTest
    @ValueSource(ints = {403, 500, 502, 503, 504})
    void neverReusesAnOriginErrorThatGivesNoFreshness(int status) throws IOException {
        String path = "/error/" + status;
        stub(path, aResponse().withStatus(status).withHeader("ETag", "\"e\""));

        assertThat(fetch(path).status()).isEqualTo(status);
        assertThat(fetch(path).status()).isEqualTo(status);

        assertThat(originRequests(path)).isEqualTo(2);
    }

    @Test
    void givesAHeuristicallyCacheable404ItsHeuristicFreshnessNotTheErrorTtl() throws IOException {
        Instant now = Instant.now();
        stub("/error/gone", aResponse().withStatus(404).withHeader("Date", date(now))
                .withHeader("Last-Modified", date(now.minus(Duration.ofDays(10)))));

        fetch("/error/gone");
        RawHttp.Response hit = fetch("/error/gone");

        assertThat(hit.status()).isEqualTo(404);
        assertThat(hit.header("Cache-Status")).startsWith("telltale; hit; ttl=86");
        assertThat(originRequests("/error/gone")).isEqualTo(1);
    }

    @Test
    void storesAnOriginErrorForAsLongAsItsOwnHeadersSay() throws IOException {
        stub("/error/explicit", aResponse().withStatus(503).withHeader("Cache-Control", "max-age=600"));

        fetch("/error/explicit");
        RawHttp.Response hit = fetch("/error/explicit");

        assertThat(hit.status()).isEqualTo(503);
        assertThat(hit.header("Cache-Status")).startsWith("telltale; hit; ttl=");
        assertThat(originRequests("/error/explicit")).isEqualTo(1);
    }

    @Test
    void keepsTheGatewaysOwnFailureForTheErrorTtl() throws IOException {
        RawHttp.Response first = fetch("down.test", "/anything");
        RawHttp.Response again = fetch("down.test", "/anything");

        assertThat(first.status()).isEqualTo(521);
        assertThat(again.status()).isEqualTo(521);
        assertThat(again.header("Cache-Status")).matches("telltale; hit; ttl=\\d+; detail=OriginConnectionRefused");
    }

    // ---- targeted cache-control fields (RFC 9213) ----

    @Test
    void storesByCdnCacheControlOverCacheControlAndForwardsIt() throws IOException {
        stub("/cdn/over", aResponse().withHeader("Cache-Control", "no-store").withHeader("CDN-Cache-Control", "max-age=600"));

        RawHttp.Response miss = fetch("/cdn/over");
        RawHttp.Response hit = fetch("/cdn/over");

        assertThat(miss.header("Cache-Status")).as("its body came after its head: stored is not claimed early")
                .isEqualTo("telltale; fwd=uri-miss");
        assertThat(hit.header("Cache-Status")).startsWith("telltale; hit; ttl=");
        assertThat(hit.header("CDN-Cache-Control")).isEqualTo("max-age=600");
        assertThat(hit.header("Cache-Control")).isEqualTo("no-store");
        assertThat(originRequests("/cdn/over")).isEqualTo(1);
    }

    @Test
    void letsTheTelltaleFieldWinAndKeepsItFromClients() throws IOException {
        stub("/cdn/own-store", aResponse().withHeader("Telltale-Cache-Control", "max-age=600")
                .withHeader("CDN-Cache-Control", "no-store").withHeader("Cache-Control", "no-store"));
        stub("/cdn/own-forbid", aResponse().withHeader("Telltale-Cache-Control", "no-store")
                .withHeader("Cache-Control", "max-age=600"));

        RawHttp.Response miss = fetch("/cdn/own-store");
        RawHttp.Response hit = fetch("/cdn/own-store");
        RawHttp.Response forbidden = fetch("/cdn/own-forbid");
        fetch("/cdn/own-forbid");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(miss.header("Telltale-Cache-Control")).isNull();
        assertThat(hit.header("Telltale-Cache-Control")).isNull();
        assertThat(hit.header("CDN-Cache-Control")).isEqualTo("no-store");
        assertThat(forbidden.header("Telltale-Cache-Control")).isNull();
        assertThat(originRequests("/cdn/own-store")).isEqualTo(1);
        assertThat(originRequests("/cdn/own-forbid")).isEqualTo(2);
    }

    @Test
    void fallsBackToCacheControlWhenTheTargetedFieldIsInvalid() throws IOException {
        stub("/cdn/invalid", aResponse().withHeader("CDN-Cache-Control", "max-age=600,").withHeader("Cache-Control", "no-store"));

        fetch("/cdn/invalid");
        fetch("/cdn/invalid");

        assertThat(originRequests("/cdn/invalid")).isEqualTo(2);
    }

    @Test
    void ignoresExpiresWhenATargetedFieldGoverns() throws IOException {
        stub("/cdn/expires", aResponse().withHeader("CDN-Cache-Control", "max-age=600").withHeader("Expires", "0"));

        fetch("/cdn/expires");
        assertThat(fetch("/cdn/expires").header("X-Cache")).isEqualTo("Hit from gateway");
    }

    @Test
    void usesTheSitesOwnFieldNameAndRemovesWhatTheSiteSays() throws IOException {
        stub("/cdn/custom", aResponse().withHeader("Edge-Cache-Control", "max-age=600")
                .withHeader("CDN-Cache-Control", "no-store").withHeader("Cache-Control", "no-store"));

        RawHttp.Response miss = fetch("custom.test", "/cdn/custom");
        RawHttp.Response hit = fetch("custom.test", "/cdn/custom");

        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(miss.header("Edge-Cache-Control")).isEqualTo("max-age=600");
        assertThat(hit.header("Edge-Cache-Control")).isEqualTo("max-age=600");
        assertThat(miss.header("CDN-Cache-Control")).isNull();
        assertThat(hit.header("CDN-Cache-Control")).isNull();
    }

    // ---- stale copies while the origin is unreachable (RFC 9111 §4.2.4) ----

    @Test
    void servesAStaleCopyWhileTheOriginIsUnreachableUnlessTheResponseForbidsIt() throws IOException {
        String[] forbidding = {"max-age=0, must-revalidate", "max-age=0, proxy-revalidate", "max-age=0, no-cache",
            "s-maxage=0"};
        stub("/down/plain", aResponse().withHeader("Cache-Control", "max-age=0").withHeader("ETag", "\"p\""));
        for (int i = 0; i < forbidding.length; i++) {
            stub("/down/" + i, aResponse().withHeader("Cache-Control", forbidding[i]).withHeader("ETag", "\"f\""));
            fetch("/down/" + i);
        }
        fetch("/down/plain");
        origin.stop();

        RawHttp.Response stale = fetch("/down/plain");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("body of /down/plain");
        assertThat(stale.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(stale.header("Cache-Status")).matches("telltale; fwd=stale; ttl=-\\d+; detail=OriginConnectionRefused");
        for (int i = 0; i < forbidding.length; i++) {
            assertThat(fetch("/down/" + i).status()).as(forbidding[i]).isEqualTo(521);
        }
    }

    @Test
    void servesStaleOnlyWithinTheSitesWindow() throws IOException {
        Instant now = Instant.now();
        stub("/window/recent", aResponse().withHeader("Date", date(now.minus(Duration.ofMinutes(5))))
                .withHeader("Cache-Control", "max-age=0").withHeader("ETag", "\"r\""));
        stub("/window/old", aResponse().withHeader("Date", date(now.minus(Duration.ofMinutes(30))))
                .withHeader("Cache-Control", "max-age=0").withHeader("ETag", "\"o\""));
        fetch("short.test", "/window/recent");
        fetch("short.test", "/window/old");
        origin.stop();

        RawHttp.Response recent = fetch("short.test", "/window/recent");
        RawHttp.Response old = fetch("short.test", "/window/old");

        assertThat(recent.status()).isEqualTo(200);
        assertThat(recent.header("Cache-Status")).contains("fwd=stale").contains("detail=OriginConnectionRefused");
        assertThat(old.status()).as("stale for 30 minutes, past the 10-minute window").isEqualTo(521);
    }
}
