package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {
    private static final long NOW = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

    private static long parse(String value) {
        return HttpDate.parse(value, NOW);
    }

    @Test
    void readsTheThreeFormsOfRfc9110() {
        assertThat(parse("Sun, 06 Nov 1994 08:49:37 GMT")).as("IMF-fixdate").isEqualTo(NOV_6_1994);
        assertThat(parse("Sunday, 06-Nov-94 08:49:37 GMT")).as("rfc850-date").isEqualTo(NOV_6_1994);
        assertThat(parse("Sun Nov  6 08:49:37 1994")).as("asctime-date, day padded with a space").isEqualTo(NOV_6_1994);
        assertThat(parse("Sun Nov 06 08:49:37 1994")).as("asctime-date, day as two digits").isEqualTo(NOV_6_1994);
    }

    @Test
    void ignoresWhitespaceAroundTheValueOnly() {
        assertThat(parse(" \tSun, 06 Nov 1994 08:49:37 GMT \t")).isEqualTo(NOV_6_1994);
    }

    @Test
    void checksTheDayNamesSpellingButNotItsAgreementWithTheDate() {
        assertThat(parse("Mon, 06 Nov 1994 08:49:37 GMT")).isEqualTo(NOV_6_1994);
        assertThat(parse("Monday, 06-Nov-94 08:49:37 GMT")).isEqualTo(NOV_6_1994);
    }

    @ParameterizedTest
    @CsvSource({
        "'Sunday, 06-Nov-94 08:49:37 GMT', 1994-11-06T08:49:37Z",
        "'Friday, 01-Jan-10 00:00:00 GMT', 2010-01-01T00:00:00Z",
        "'Monday, 01-Jan-74 00:00:00 GMT', 2074-01-01T00:00:00Z",
        "'Monday, 01-Jan-75 00:00:00 GMT', 2075-01-01T00:00:00Z",
        "'Tuesday, 01-Apr-75 00:00:00 GMT', 1975-04-01T00:00:00Z",
        "'Saturday, 01-Jan-00 00:00:00 GMT', 2000-01-01T00:00:00Z",
        "'Tuesday, 29-Feb-00 00:00:00 GMT', 2000-02-29T00:00:00Z",
    })
    void placesTwoDigitYearsNoMoreThanFiftyYearsAhead(String value, Instant expected) {
        assertThat(parse(value)).isEqualTo(expected.toEpochMilli());
    }

    @Test
    void readsDatesBeforeTheEpochAndALeapSecond() {
        assertThat(parse("Thu, 01 Jan 1970 00:00:00 GMT")).isZero();
        assertThat(parse("Wed, 31 Dec 1969 23:59:59 GMT")).isEqualTo(-1000);
        assertThat(parse("Wed, 31 Dec 2025 23:59:60 GMT")).as("a leap second is the next minute's first")
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        assertThat(parse("Tue, 29 Feb 2028 00:00:00 GMT")).isEqualTo(Instant.parse("2028-02-29T00:00:00Z").toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Thu, 01 Dec 2050 16:00:00 gmt",
        "thu, 01 Dec 2050 16:00:00 GMT",
        "THU, 01 DEC 2050 16:00:00 GMT",
        "Thu, 01 dec 2050 16:00:00 GMT",
        "thursday, 01-dec-50 16:00:00 Gmt",
        "THU DEC  1 16:00:00 2050",
    })
    void readsNamesAndTheZoneInAnyCase(String value) {
        assertThat(parse(value)).isEqualTo(Instant.parse("2050-12-01T16:00:00Z").toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "0",
        "-1",
        "now",
        "2050-12-01T16:00:00Z",
        "Thu, 01 Dec 2050 16:00:00 PST",
        "Thu, 01 Dec 2050 16:00:00 UTC",
        "Thu, 01 Dec 2050 16:00:00 +0000",
        "Thu, 01 Dec 2050 16:00:00",
        "Thu, 01-Dec-2050 16:00:00 GMT",
        "Thu, 01 Dec 50 16:00:00 GMT",
        "Thu 01 Dec 2050 16:00:00 GMT",
        "Thu,01 Dec 2050 16:00:00 GMT",
        "Thu,  01 Dec 2050 16:00:00 GMT",
        "Thu, 1 Dec 2050 16:00:00 GMT",
        "Thu, 01 Dec 2050 6:00:00 GMT",
        "Thu, 01 Dec 2050 16:0:00 GMT",
        "Thu, 01 Dec 2050 16.00.00 GMT",
        "Thu, 01 December 2050 16:00:00 GMT",
        "Thursday, 01 Dec 2050 16:00:00 GMT",
        "Thx, 01 Dec 2050 16:00:00 GMT",
        "Thu, 00 Dec 2050 16:00:00 GMT",
        "Thu, 32 Dec 2050 16:00:00 GMT",
        "Thu, 31 Nov 2050 16:00:00 GMT",
        "Mon, 29 Feb 2100 16:00:00 GMT",
        "Thu, 01 Dec 2050 24:00:00 GMT",
        "Thu, 01 Dec 2050 16:60:00 GMT",
        "Thu, 01 Dec 2050 16:00:61 GMT",
        "Thu, 01 Dec 2050 16:00:00 GMT, Fri, 02 Dec 2050 16:00:00 GMT",
        "Thursday, 01-Dec-2050 16:00:00 GMT",
        "Thu, 01-Dec-50 16:00:00 GMT",
        "Thursday, 01 Dec 50 16:00:00 GMT",
        "Thursday, 01-Dec-50 16:00:00 UTC",
        "Thu Dec 1 16:00:00 2050",
        "Thu Dec 01 16:00:00 50",
        "Thu Dec  1 16:00:00 2050 GMT",
        "Thu, Dec  1 16:00:00 2050",
        "Thu Dec  1 16:00 2050",
    })
    void refusesEverythingElse(String value) {
        assertThat(parse(value)).isEqualTo(HttpDate.INVALID);
    }

    @Test
    void takesAFieldOnlyWhenItOccursOnce() {
        String date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assertThat(HttpDate.field(headers("Expires", date), "Expires", NOW)).isEqualTo(NOV_6_1994);
        assertThat(HttpDate.field(headers(), "Expires", NOW)).isEqualTo(HttpDate.INVALID);
        assertThat(HttpDate.field(headers("Expires", date, "Expires", date), "Expires", NOW)).isEqualTo(HttpDate.INVALID);
    }

    @Test
    void formatsAnImfFixdateThatReadsBack() {
        assertThat(HttpDate.format(NOV_6_1994)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(NOW)).isEqualTo("Sat, 01 Mar 2025 12:00:00 GMT");
        assertThat(parse(HttpDate.format(NOW + 999))).isEqualTo(NOW);
    }
}
