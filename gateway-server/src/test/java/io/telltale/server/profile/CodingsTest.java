package io.telltale.server.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodingsTest {

    @Test
    void acceptsTheCodingsNamedOrCoveredByAStarWithAWeightAboveZero() {
        assertThat(Codings.acceptsAll("gzip, br", "br, gzip")).isTrue();
        assertThat(Codings.acceptsAll("BR;q=0.5, gzip;q=1", "br, gzip")).isTrue();
        assertThat(Codings.acceptsAll("*", "br, gzip")).isTrue();
        assertThat(Codings.acceptsAll("gzip, *;q=0.1", "br, gzip")).isTrue();
    }

    @Test
    void refusesAMissingCodingAZeroWeightAnUnreadableWeightAndAnAbsentField() {
        assertThat(Codings.acceptsAll("gzip, deflate", "br, gzip")).isFalse();
        assertThat(Codings.acceptsAll("gzip, br;q=0", "br, gzip")).isFalse();
        assertThat(Codings.acceptsAll("*, br;q=0", "br, gzip")).isFalse();
        assertThat(Codings.acceptsAll("gzip, br;q=high", "br, gzip")).isFalse();
        assertThat(Codings.acceptsAll(null, "br, gzip")).isFalse();
    }
}
