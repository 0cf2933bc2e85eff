package io.telltale.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.config.HealthCheckConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The thresholds and the doctor's warnings on results and times the test gives. */
class OriginHealthTest {
    private static final long START = 1_800_000_000_000L;
    private static final HealthCheckConfig CONFIG = new HealthCheckConfig("/", List.of(200), Duration.ofSeconds(10),
            Duration.ofSeconds(2), 2, 3, Duration.ofSeconds(1), Duration.ofDays(14), 80);

    private static CheckResult failed(String code) {
        return new CheckResult(false, code, "it failed", 5, 0, List.of(), List.of());
    }

    private static CheckResult passed(long millis, long notAfter) {
        return new CheckResult(true, "HTTP 200", "fine", millis, notAfter, List.of(), List.of());
    }

    @Test
    void turnsUnhealthyAfterTheThresholdInARowAndHealthyAgainAfterItsOwn() {
        OriginHealth health = new OriginHealth("shop", List.of("a:80", "b:80"), CONFIG, START);

        health.record(0, failed("OriginConnectionRefused"), START + 1000);
        health.record(0, failed("OriginConnectionRefused"), START + 2000);
        health.record(0, passed(5, 0), START + 3000);
        health.record(0, failed("OriginConnectionRefused"), START + 4000);
        health.record(0, failed("OriginConnectionLimit"), START + 4500);
        health.record(0, failed("OriginConnectionRefused"), START + 5000);
        assertThat(health.healthy(0)).as("a pass and the gateway's own limit break no run").isTrue();

        health.record(0, failed("OriginSslCertificateExpired"), START + 6000);

        assertThat(health.healthy(0)).isFalse();
        assertThat(health.healthy(1)).isTrue();
        assertThat(health.reason(0)).isEqualTo("unhealthy since 2027-01-15T08:00:06Z: OriginSslCertificateExpired");
        assertThat(health.status(0).sinceMillis()).isEqualTo(START + 6000);
        assertThat(health.status(1).sinceMillis()).isEqualTo(START);

        health.record(0, passed(5, 0), START + 7000);
        assertThat(health.healthy(0)).isFalse();
        health.record(0, passed(5, 0), START + 8000);

        assertThat(health.healthy(0)).isTrue();
        assertThat(health.transitions(0)).isEqualTo(2);
        assertThat(health.status(0).checks()).isEqualTo(9);
    }

    @Test
    void warnsOfACertificateWithinItsWindowAndOfAResponseNearTheTimeout() {
        OriginHealth health = new OriginHealth("shop", List.of("a:443"), CONFIG, START);

        health.record(0, passed(100, START + Duration.ofDays(15).toMillis()), START);
        assertThat(health.status(0).warnings()).isEmpty();

        health.record(0, passed(1600, START + Duration.ofDays(13).toMillis()), START);

        assertThat(health.status(0).warnings()).containsOnlyKeys(OriginDoctor.CERTIFICATE_EXPIRING,
                OriginDoctor.SLOW_RESPONSE);
        assertThat(health.status(0).warnings().get(OriginDoctor.SLOW_RESPONSE))
                .isEqualTo("the check's response took 1600 ms, 80% of its 2000 ms timeout");
        assertThat(health.certificateNotAfter(0)).isEqualTo(START + Duration.ofDays(13).toMillis());

        health.record(0, passed(100, START + Duration.ofDays(90).toMillis()), START);
        assertThat(health.status(0).warnings()).as("a renewed certificate clears the warning").isEmpty();
    }
}
