package io.telltale.server.balance;

import io.telltale.core.config.OutlierDetectionConfig;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive outlier detection, as Envoy's: an origin whose requests fail so many times in a row is ejected from
 * its group for the base time multiplied by how often it was ejected (at most ten times), and never more than
 * the configured share of the group at once. Each ejection and each return is logged once.
 *
 * <p>Times are nanoseconds of the caller's clock, so tests drive it with their own.
 */
final class OutlierDetector {
    private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

    private final List<String> names;
    private final int threshold;
    private final long baseNanos;
    private final int maxEjected;
    private final int[] consecutive;
    private final int[] ejections;
    private final long[] ejectedUntil;

    OutlierDetector(List<String> names, OutlierDetectionConfig config) {
        this.names = List.copyOf(names);
        this.threshold = config.consecutiveFailures();
        this.baseNanos = config.baseEjectionTime().toNanos();
        this.maxEjected = names.size() * config.maxEjectionPercent() / 100;
        this.consecutive = new int[names.size()];
        this.ejections = new int[names.size()];
        this.ejectedUntil = new long[names.size()];
    }

    /** Counts a failed request at the origin; returns true when that ejected it. */
    synchronized boolean failed(int origin, long now) {
        if (isEjected(origin, now) || ++consecutive[origin] < threshold) {
            return false;
        }
        int ejectedNow = 0;
        for (int i = 0; i < ejectedUntil.length; i++) {
            ejectedNow += isEjected(i, now) ? 1 : 0;
        }
        if (ejectedNow >= maxEjected) {
            return false;
        }
        ejections[origin]++;
        long millis = baseNanos * Math.min(ejections[origin], 10) / 1_000_000;
        ejectedUntil[origin] = now + millis * 1_000_000;
        consecutive[origin] = 0;
        LOG.warn("origin {} ejected for {} ms after {} failures in a row (ejection {})", names.get(origin), millis,
                threshold, ejections[origin]);
        return true;
    }

    /** Counts a request the origin served, which ends its run of failures. */
    synchronized void succeeded(int origin) {
        consecutive[origin] = 0;
    }

    /** Returns whether the origin is ejected now; the first call after its ejection ended logs its return. */
    synchronized boolean ejected(int origin, long now) {
        if (ejectedUntil[origin] == 0) {
            return false;
        }
        if (isEjected(origin, now)) {
            return true;
        }
        ejectedUntil[origin] = 0;
        LOG.info("origin {} returned to its group after ejection {}", names.get(origin), ejections[origin]);
        return false;
    }

    /** Returns how many times the origin was ejected. */
    synchronized int ejections(int origin) {
        return ejections[origin];
    }

    private boolean isEjected(int origin, long now) {
        return ejectedUntil[origin] != 0 && ejectedUntil[origin] - now > 0;
    }
}
