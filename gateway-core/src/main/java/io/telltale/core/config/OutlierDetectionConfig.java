package io.telltale.core.config;

import java.time.Duration;

/**
 * Passive outlier detection for an origin group, as Envoy does it: an origin whose requests fail in a row is
 * left out of the group for a while.
 *
 * @param consecutiveFailures failures in a row (a failed connection, a timeout or a 5xx) that eject an origin
 * @param baseEjectionTime how long a first ejection lasts; each further ejection of the same origin lasts that
 *     many times longer, up to ten times
 * @param maxEjectionPercent the largest share of the group's origins ejected at once (0-100)
 */
public record OutlierDetectionConfig(
        @Default("5") int consecutiveFailures,
        @Default("30s") Duration baseEjectionTime,
        @Default("50") int maxEjectionPercent) {
}
