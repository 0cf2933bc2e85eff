package io.telltale.server.health;

import io.telltale.core.config.HealthCheckConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The origin doctor: reads a health check for signs of tomorrow's 502 while the origin still serves today, and
 * names each by its kind.
 */
public final class OriginDoctor {
    /** The kind of warning for an origin certificate that expires within the configured window. */
    public static final String CERTIFICATE_EXPIRING = "certificateExpiring";
    /** The kind of warning for a name some of whose addresses fail while another one serves. */
    public static final String ADDRESSES_FAILING = "addressesFailing";
    /** The kind of warning for a name server of the origin's name that does not serve it (a lame delegation). */
    public static final String LAME_DELEGATION = "lameDelegation";
    /** The kind of warning for a response time that comes close to the check's timeout. */
    public static final String SLOW_RESPONSE = "slowResponse";

    private OriginDoctor() {
    }

    /**
     * Returns the warnings a check gives, by kind, in a stable order.
     *
     * @param result the check's result
     * @param config the group's health check
     * @param nowMillis the wall clock now, in epoch milliseconds
     */
    public static Map<String, String> warnings(CheckResult result, HealthCheckConfig config, long nowMillis) {
        Map<String, String> warnings = new LinkedHashMap<>();
        long notAfter = result.certificateNotAfterMillis();
        if (notAfter != 0 && notAfter - nowMillis <= config.certificateWarning().toMillis()) {
            long left = notAfter - nowMillis;
            warnings.put(CERTIFICATE_EXPIRING, left <= 0
                    ? "the origin certificate expired at " + Instant.ofEpochMilli(notAfter)
                    : "the origin certificate expires at " + Instant.ofEpochMilli(notAfter) + ", in "
                            + describe(Duration.ofMillis(left)) + " (warning window "
                            + describe(config.certificateWarning()) + ")");
        }
        if (result.passed() && !result.refusingAddresses().isEmpty()) {
            warnings.put(ADDRESSES_FAILING, "addresses of the name fail while another serves: "
                    + String.join(", ", result.refusingAddresses()));
        }
        if (!result.lameServers().isEmpty()) {
            warnings.put(LAME_DELEGATION, "name servers of the origin's name fail while others answer: "
                    + String.join(" ", result.lameServers()));
        }
        long timeout = config.timeout().toMillis();
        if (result.passed() && result.millis() * 100 >= timeout * config.slowWarningPercent()) {
            warnings.put(SLOW_RESPONSE, "the check's response took " + result.millis() + " ms, "
                    + result.millis() * 100 / timeout + "% of its " + timeout + " ms timeout");
        }
        return warnings;
    }

    private static String describe(Duration d) {
        if (d.toDays() >= 1) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toMinutes() + "m " + d.toSecondsPart() + "s";
    }
}
