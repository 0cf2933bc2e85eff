package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MomentsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T23:20:00Z");

    @Test
    void writesADateAndMinuteInUtc() {
        assertThat(Moments.at(Instant.parse("2026-12-01T23:13:59Z"))).isEqualTo("1 Dec 2026 at 23:13 UTC");
    }

    @Test
    void writesTheLargestWholeUnitBeforeOrAfterNow() {
        assertThat(Moments.relative(NOW.minus(Duration.ofHours(24)), NOW)).isEqualTo("1 day ago");
        assertThat(Moments.relative(NOW.plus(Duration.ofHours(49)), NOW)).isEqualTo("in 2 days");
        assertThat(Moments.relative(NOW.minus(Duration.ofMinutes(90)), NOW)).isEqualTo("1 hour ago");
        assertThat(Moments.relative(NOW.plus(Duration.ofMinutes(5)), NOW)).isEqualTo("in 5 minutes");
        assertThat(Moments.relative(NOW.minusSeconds(20), NOW)).isEqualTo("just now");
    }
}
