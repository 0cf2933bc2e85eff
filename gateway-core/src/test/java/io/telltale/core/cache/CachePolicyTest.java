package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CachePolicyTest {
    private static final long DATE = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    private static final String DATE_TEXT = HttpDate.format(DATE);
    private static final SitePolicy SITE = SitePolicy.of(CacheFixture.config());

    private static Verdict verdict(int status, boolean authorized, String request, String... response) {
        HttpHeaders headers = headers(response);
        return CachePolicy.storability(status, authorized, CacheControl.of(headers("Cache-Control", request)),
                CacheControl.of(headers), headers, DATE, 0, SITE);
    }

    @ParameterizedTest
    @CsvSource({
        "200, STORE", "203, STORE", "204, STORE", "300, STORE", "301, STORE", "308, STORE", "410, STORE",
        "404, STORE", "405, STORE", "414, STORE", "501, STORE",
        "302, UNCACHEABLE_STATUS", "307, UNCACHEABLE_STATUS", "201, UNCACHEABLE_STATUS",
        "206, PARTIAL", "418, ERROR_NOT_CACHED", "403, ERROR_NOT_CACHED", "500, ERROR_NOT_CACHED",
        "502, ERROR_NOT_CACHED", "503, ERROR_NOT_CACHED", "504, ERROR_NOT_CACHED",
    })
    void storesOnlyStatusesCacheableByDefaultWithoutExplicitFreshness(int status, Verdict expected) {
        assertThat(verdict(status, false, "", "ETag", "\"1\"")).isEqualTo(expected);
    }

    @Test
    void usesHeuristicsForAnyStatusMarkedPublic() {
        String modified = HttpDate.format(DATE - 10L * 24 * 3600 * 1000);
        assertThat(verdict(599, false, "", "Cache-Control", "public", "Last-Modified", modified)).isEqualTo(Verdict.STORE);
        assertThat(verdict(599, false, "", "Last-Modified", modified)).isEqualTo(Verdict.ERROR_NOT_CACHED);
    }

    @Test
    void mustUnderstandOverridesNoStoreOnlyForAnUnderstoodStatus() {
        assertThat(verdict(200, false, "", "Cache-Control", "max-age=3600, must-understand, no-store"))
                .isEqualTo(Verdict.STORE);
        assertThat(verdict(299, false, "", "Cache-Control", "max-age=3600, must-understand, no-store"))
                .isEqualTo(Verdict.NO_STORE);
        assertThat(verdict(299, false, "", "Cache-Control", "max-age=3600, must-understand"))
                .isEqualTo(Verdict.NO_STORE);
        assertThat(verdict(200, false, "no-store", "Cache-Control", "max-age=3600, must-understand, no-store"))
                .as("the request's no-store still holds").isEqualTo(Verdict.NO_STORE);
    }

    @Test
    void storesNothingThatWouldExpireAtOnceWithoutAValidatorOrAStaleWindow() {
        assertThat(verdict(200, false, "")).isEqualTo(Verdict.ZERO_TTL);
        assertThat(verdict(200, false, "", "Cache-Control", "max-age=0, stale-if-error=60")).isEqualTo(Verdict.STORE);
        assertThat(verdict(200, false, "", "Last-Modified", DATE_TEXT)).isEqualTo(Verdict.STORE);
    }

    @Test
    void storesAnyStatusWithExplicitFreshness() {
        assertThat(verdict(302, false, "", "Cache-Control", "max-age=60")).isEqualTo(Verdict.STORE);
        assertThat(verdict(307, false, "", "Expires", HttpDate.format(DATE + 60_000), "Date", DATE_TEXT))
                .isEqualTo(Verdict.STORE);
    }

    @Test
    void refusesNoStorePrivateSetCookieAndVaryStar() {
        assertThat(verdict(200, false, "", "Cache-Control", "no-store")).isEqualTo(Verdict.NO_STORE);
        assertThat(verdict(200, false, "no-store")).isEqualTo(Verdict.NO_STORE);
        assertThat(verdict(200, false, "", "Cache-Control", "private, max-age=60")).isEqualTo(Verdict.PRIVATE);
        assertThat(verdict(200, false, "", "Set-Cookie", "a=1")).isEqualTo(Verdict.SET_COOKIE);
        assertThat(verdict(200, false, "", "Vary", "Accept, *")).isEqualTo(Verdict.VARY_STAR);
        assertThat(verdict(200, false, "", "Content-Length", "9000000")).isEqualTo(Verdict.TOO_LARGE);
    }

    @Test
    void storesAnAuthorizedResponseOnlyWithPublicSMaxAgeOrMustRevalidate() {
        assertThat(verdict(200, true, "", "Cache-Control", "max-age=60")).isEqualTo(Verdict.AUTHORIZATION);
        assertThat(verdict(200, true, "", "Cache-Control", "public, max-age=60")).isEqualTo(Verdict.STORE);
        assertThat(verdict(200, true, "", "Cache-Control", "s-maxage=60")).isEqualTo(Verdict.STORE);
        assertThat(verdict(200, true, "", "Cache-Control", "must-revalidate, max-age=60")).isEqualTo(Verdict.STORE);
    }

    @Test
    void takesSMaxAgeOverMaxAgeOverExpires() {
        HttpHeaders headers = headers("Cache-Control", "max-age=60, s-maxage=120",
                "Expires", HttpDate.format(DATE + 30_000));
        assertThat(lifetime(200, headers)).isEqualTo(120_000);
        headers.set("Cache-Control", "max-age=60");
        assertThat(lifetime(200, headers)).isEqualTo(60_000);
        headers.remove("Cache-Control");
        assertThat(lifetime(200, headers)).isEqualTo(30_000);
        headers.set("Expires", "0");
        assertThat(lifetime(200, headers)).as("an invalid Expires is already expired").isZero();
    }

    @Test
    void computesHeuristicFreshnessAsATenthOfTheTimeSinceLastModifiedCappedAtADay() {
        HttpHeaders headers = headers("Last-Modified", HttpDate.format(DATE - 10 * 3600_000L));
        assertThat(lifetime(200, headers)).isEqualTo(3600_000);
        headers.set("Last-Modified", HttpDate.format(DATE - 100L * 24 * 3600_000));
        assertThat(lifetime(200, headers)).isEqualTo(CachePolicy.HEURISTIC_CAP_MILLIS);
        assertThat(lifetime(302, headers)).as("302 is not heuristically cacheable").isEqualTo(CachePolicy.NONE);
        headers.set("Cache-Control", "max-age=5");
        assertThat(lifetime(200, headers)).as("explicit freshness wins over the heuristic").isEqualTo(5_000);
    }

    @Test
    void appliesTheSiteMinDefaultAndMaxTtlLikeCloudFront() {
        SitePolicy site = SitePolicy.of(new SiteCacheConfig(true, Duration.ofSeconds(30), Duration.ofSeconds(300),
                Duration.ofSeconds(600), Duration.ofSeconds(10), DataSize.ofMiB(1), null, List.of(), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), "Telltale-Cache-Control", true, false));
        assertThat(CachePolicy.lifetimeMillis(200, CacheControl.NONE, headers(), DATE, site)).isEqualTo(300_000);
        HttpHeaders low = headers("Cache-Control", "max-age=1");
        assertThat(CachePolicy.lifetimeMillis(200, CacheControl.of(low), low, DATE, site)).isEqualTo(30_000);
        HttpHeaders high = headers("Cache-Control", "max-age=86400");
        assertThat(CachePolicy.lifetimeMillis(200, CacheControl.of(high), high, DATE, site)).isEqualTo(600_000);
        assertThat(CachePolicy.lifetimeMillis(404, CacheControl.NONE, headers(), DATE, site))
                .as("a 404 is heuristically cacheable: the default TTL, not the error TTL").isEqualTo(300_000);
        assertThat(CachePolicy.lifetimeMillis(503, CacheControl.NONE, headers(), DATE, site))
                .as("a 503 without freshness has none").isEqualTo(CachePolicy.NONE);
    }

    @Test
    void correctsTheInitialAgeWithTheResponseDelayAndTheApparentAge() {
        long requestTime = DATE;
        long responseTime = DATE + 2_000;
        assertThat(CachePolicy.correctedInitialAgeMillis(requestTime, responseTime, DATE, 10)).isEqualTo(12_000);
        assertThat(CachePolicy.correctedInitialAgeMillis(requestTime, responseTime, DATE - 60_000, 10))
                .as("a Date a minute old makes the apparent age win").isEqualTo(62_000);
        assertThat(CachePolicy.correctedInitialAgeMillis(requestTime, responseTime, DATE + 60_000, 0))
                .as("a Date in the future never makes the age negative").isEqualTo(2_000);
        assertThat(CachePolicy.currentAgeMillis(12_000, responseTime, responseTime + 5_000)).isEqualTo(17_000);
    }

    private static long lifetime(int status, HttpHeaders headers) {
        return CachePolicy.lifetimeMillis(status, CacheControl.of(headers), headers, DATE, SITE);
    }
}
