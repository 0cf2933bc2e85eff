package io.telltale.server.health;

import io.telltale.core.config.HealthCheckConfig;
import io.telltale.core.failure.FailureCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of a group's origins as their checks find it: an origin turns unhealthy after
 * {@code unhealthyThreshold} failed checks in a row and healthy again after {@code healthyThreshold} passed ones.
 * Origins start healthy, so a gateway that just started serves before its first checks end. A check the gateway's
 * own connection budget refused counts neither way. Each turn is logged once and counted, and so is each doctor's
 * warning when it appears.
 */
public final class OriginHealth {
    private static final Logger LOG = LoggerFactory.getLogger(OriginHealth.class);

    private final String site;
    private final List<String> names;
    private final HealthCheckConfig config;
    /** Read on every request's order without a lock: 1 while the origin is unhealthy. */
    private final AtomicIntegerArray unhealthy;
    private final int[] passes;
    private final int[] failures;
    private final long[] since;
    private final String[] lastFailure;
    private final String[] lastFailureDetail;
    private final long[] lastFailureAt;
    private final long[] checks;
    private final int[] transitions;
    private final long[] certificateNotAfter;
    private final List<Map<String, String>> warnings = new ArrayList<>();

    /**
     * Creates the health of a group's origins, all healthy.
     *
     * @param site the site's name, for the log
     * @param names each origin's {@code host:port}, in the group's order
     * @param config the group's health check
     * @param startMillis when the checks start, in epoch milliseconds
     */
    public OriginHealth(String site, List<String> names, HealthCheckConfig config, long startMillis) {
        this.site = site;
        this.names = List.copyOf(names);
        this.config = config;
        int n = names.size();
        this.unhealthy = new AtomicIntegerArray(n);
        this.passes = new int[n];
        this.failures = new int[n];
        this.since = new long[n];
        this.lastFailure = new String[n];
        this.lastFailureDetail = new String[n];
        this.lastFailureAt = new long[n];
        this.checks = new long[n];
        this.transitions = new int[n];
        this.certificateNotAfter = new long[n];
        for (int i = 0; i < n; i++) {
            since[i] = startMillis;
            warnings.add(Map.of());
        }
    }

    /** Returns the group's health check. */
    public HealthCheckConfig config() {
        return config;
    }

    /** Returns how many origins the group has. */
    public int size() {
        return names.size();
    }

    /** Returns the origin's {@code host:port}. */
    public String name(int origin) {
        return names.get(origin);
    }

    /** Returns whether the checks let the origin take requests. */
    public boolean healthy(int origin) {
        return unhealthy.get(origin) == 0;
    }

    /**
     * Takes one check's result: counts it toward the thresholds, turns the origin healthy or unhealthy when one is
     * reached, and notes the doctor's warnings.
     *
     * @param origin the origin's index in the group
     * @param result what the check came to
     * @param nowMillis when it ended, in epoch milliseconds
     */
    public synchronized void record(int origin, CheckResult result, long nowMillis) {
        checks[origin]++;
        if (result.certificateNotAfterMillis() != 0) {
            certificateNotAfter[origin] = result.certificateNotAfterMillis();
        }
        if (result.passed()) {
            failures[origin] = 0;
            passes[origin]++;
            if (!healthy(origin) && passes[origin] >= config.healthyThreshold()) {
                unhealthy.set(origin, 0);
                since[origin] = nowMillis;
                transitions[origin]++;
                LOG.info("origin {} of site {} healthy again since {} after {} passed checks in a row", names.get(origin),
                        site, Instant.ofEpochMilli(nowMillis), passes[origin]);
            }
        } else if (FailureCode.ORIGIN_CONNECTION_LIMIT.code().equals(result.result())) {
            // The gateway's own connection budget was full: that says nothing of the origin.
            passes[origin] = 0;
        } else {
            passes[origin] = 0;
            failures[origin]++;
            lastFailure[origin] = result.result();
            lastFailureDetail[origin] = result.detail();
            lastFailureAt[origin] = nowMillis;
            if (healthy(origin) && failures[origin] >= config.unhealthyThreshold()) {
                unhealthy.set(origin, 1);
                since[origin] = nowMillis;
                transitions[origin]++;
                LOG.warn("origin {} of site {} unhealthy since {}: {} ({} failed checks in a row: {})",
                        names.get(origin), site, Instant.ofEpochMilli(nowMillis), result.result(), failures[origin],
                        result.detail());
            }
        }
        note(origin, OriginDoctor.warnings(result, config, nowMillis));
    }

    private void note(int origin, Map<String, String> found) {
        Map<String, String> before = warnings.get(origin);
        for (Map.Entry<String, String> warning : found.entrySet()) {
            if (!before.containsKey(warning.getKey())) {
                LOG.warn("origin {} of site {}: {}", names.get(origin), site, warning.getValue());
            }
        }
        for (String gone : before.keySet()) {
            if (!found.containsKey(gone)) {
                LOG.info("origin {} of site {}: warning {} cleared", names.get(origin), site, gone);
            }
        }
        warnings.set(origin, new LinkedHashMap<>(found));
    }

    /** Returns what the checks know of the origin now. */
    public synchronized OriginStatus status(int origin) {
        return new OriginStatus(healthy(origin), since[origin], lastFailure[origin], lastFailureDetail[origin],
                lastFailureAt[origin], checks[origin], transitions[origin], certificateNotAfter[origin],
                warnings.get(origin));
    }

    /** Returns how often the origin turned healthy or unhealthy. */
    public synchronized int transitions(int origin) {
        return transitions[origin];
    }

    /** Returns when the origin's certificate expires (epoch milliseconds), 0 when no check saw one. */
    public synchronized long certificateNotAfter(int origin) {
        return certificateNotAfter[origin];
    }

    /** Returns why the origin is unhealthy, as a failure names it: since when and for which result. */
    public synchronized String reason(int origin) {
        return "unhealthy since " + Instant.ofEpochMilli(since[origin]) + ": " + lastFailure[origin];
    }
}
