package io.telltale.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotationTest {
    @ParameterizedTest
    @CsvSource({"0, 0", "250ms, 250", "10s, 10000", "5m, 300000", "1h, 3600000", "1d, 86400000",
            "1500ms, 1500", "90s, 90000", "0s, 0"})
    void parsesDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "-1s", "10 s", "s", "1w", "10S", "PT10S", "1h30m"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: a duration such as 250ms, 10s, 5m, 1h or 1d)");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "250, 250ms", "10000, 10s", "90000, 90s", "300000, 5m", "3600000, 1h", "86400000, 1d",
            "31536000000, 365d"})
    void formatsDurationsInTheLargestExactUnit(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "512, 512", "512B, 512", "64KiB, 65536", "8MiB, 8388608", "1GiB, 1073741824",
            "2TiB, 2199023255552"})
    void parsesSizes(String text, long bytes) {
        assertThat(DataSizes.parse(text)).isEqualTo(DataSize.ofBytes(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10XB", "1.5MiB", "-1", "64kib", "64KB", "64 KiB", "MiB", "9999999999999GiB"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> DataSizes.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: a size such as 512, 64KiB, 8MiB or 1GiB");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "512, 512", "1024, 1KiB", "1536, 1536", "8388608, 8MiB", "1073741824, 1GiB"})
    void formatsSizesInTheLargestExactUnit(long bytes, String text) {
        assertThat(DataSizes.format(DataSize.ofBytes(bytes))).isEqualTo(text);
        assertThat(DataSizes.parse(text)).isEqualTo(DataSize.ofBytes(bytes));
    }
}
