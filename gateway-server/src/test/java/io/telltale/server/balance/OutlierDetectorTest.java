package io.telltale.server.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.config.OutlierDetectionConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ejection timing on an injected clock: thresholds, growing ejections, returns and the share limit. */
class OutlierDetectorTest {
    private static final long SECOND = 1_000_000_000L;

    private final OutlierDetector detector = new OutlierDetector(List.of("a:80", "b:80"),
            new OutlierDetectionConfig(3, Duration.ofSeconds(10), 50));

    @Test
    void ejectsAfterTheThresholdForTheBaseTimeThenReturns() {
        long t = 1_000 * SECOND;
        assertThat(detector.failed(0, t)).isFalse();
        assertThat(detector.failed(0, t)).isFalse();
        assertThat(detector.failed(0, t)).isTrue();

        assertThat(detector.ejected(0, t + 9 * SECOND)).isTrue();
        assertThat(detector.ejected(0, t + 10 * SECOND)).isFalse();
        assertThat(detector.ejected(1, t)).isFalse();
    }

    @Test
    void eachFurtherEjectionLastsLonger() {
        long t = 1_000 * SECOND;
        for (int i = 0; i < 3; i++) {
            detector.failed(0, t);
        }
        long back = t + 10 * SECOND;
        assertThat(detector.ejected(0, back)).isFalse();
        for (int i = 0; i < 3; i++) {
            detector.failed(0, back);
        }

        assertThat(detector.ejections(0)).isEqualTo(2);
        assertThat(detector.ejected(0, back + 19 * SECOND)).isTrue();
        assertThat(detector.ejected(0, back + 20 * SECOND)).isFalse();
    }

    @Test
    void aServedRequestEndsTheRunOfFailures() {
        long t = SECOND;
        detector.failed(0, t);
        detector.failed(0, t);
        detector.succeeded(0);

        assertThat(detector.failed(0, t)).isFalse();
        assertThat(detector.ejected(0, t)).isFalse();
    }

    @Test
    void neverEjectsMoreThanTheShareOfTheGroup() {
        long t = SECOND;
        for (int i = 0; i < 3; i++) {
            detector.failed(0, t);
            detector.failed(1, t);
        }

        assertThat(detector.ejected(0, t)).isTrue();
        assertThat(detector.ejected(1, t)).as("half of two origins is one").isFalse();
    }
}
