package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.cache.CacheLookup.Kind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {
    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();

    @AfterEach
    void close() {
        fixture.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "30|30",
        "0|0",
        "007|7",
        "30, 60|30",
        "' , 45'|45",
        "7200a|0",
        "a7200|0",
        "-7200|0",
        "7200.0|0",
        "'7 200'|0",
        "''|0",
        "2147483648|2147483648",
        "2147483649|2147483648",
        "99999999999999999999|2147483648",
    })
    void readsAgeAsRfc9111Section5Point1Says(String value, long expected) {
        assertThat(CachePolicy.ageSeconds(headers("Age", value))).isEqualTo(expected);
    }

    @Test
    void takesTheFirstOfSeveralAgeFieldLines() {
        assertThat(CachePolicy.ageSeconds(headers("Age", "7200", "Age", "0"))).isEqualTo(7200);
        assertThat(CachePolicy.ageSeconds(headers("Age", "0", "Age", "7200"))).isZero();
        assertThat(CachePolicy.ageSeconds(headers("Age", "x", "Age", "7200"))).as("an invalid first member is ignored")
                .isZero();
        assertThat(CachePolicy.ageSeconds(headers())).isZero();
    }

    @Test
    void countsTheOriginsAgeInTheAgeOfAHit() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=3600", "Age", "30", "Date", fixture.now());
        fixture.time.advance(Duration.ofSeconds(3));

        CacheResponse hit = get(site, "/a").serve();
        assertThat(hit.headers().get("Age")).isEqualTo("33");
        assertThat(hit.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=3567");
        assertThat(hit.headers().getAll("Age")).as("the origin's own Age is never replayed").hasSize(1);
        hit.release();
    }

    @Test
    void findsAResponseOlderThanItsLifetimeStaleOnArrival() {
        assertThat(store(site, "/v", 200, "x", "Cache-Control", "max-age=3600", "Age", "7200", "ETag", "\"v\"")).isTrue();
        assertThat(get(site, "/v").kind()).as("kept only to be revalidated").isEqualTo(Kind.MUST_REVALIDATE);

        assertThat(store(site, "/n", 200, "x", "Cache-Control", "max-age=3600", "Age", "7200"))
                .as("nothing to revalidate with: not stored").isFalse();
        assertThat(store(site, "/big", 200, "x", "Cache-Control", "max-age=3600", "Age", "99999999999"))
                .as("an Age past 2^31 counts as 2^31").isFalse();
        assertThat(store(site, "/bad", 200, "x", "Cache-Control", "max-age=3600", "Age", "7200x")).as("ignored")
                .isTrue();
        assertThat(get(site, "/bad").kind()).isEqualTo(Kind.HIT);
    }

    @Test
    void takesTheAgeOfARevalidationsNotModified() {
        store(site, "/r", 200, "x", "Cache-Control", "max-age=10", "ETag", "\"r\"");
        fixture.time.advance(Duration.ofSeconds(20));
        CacheFill revalidation = site.tryFill(get(site, "/r"));

        CacheLookup refreshed = revalidation.notModified(headers("ETag", "\"r\"", "Cache-Control", "max-age=100",
                "Age", "40"));
        CacheResponse response = refreshed.serve();
        assertThat(response.headers().get("Age")).isEqualTo("40");
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; fwd-status=304; stored; ttl=60");
        response.release();
    }
}
