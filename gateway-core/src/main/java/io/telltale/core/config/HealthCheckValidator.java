package io.telltale.core.config;

import java.util.List;

/** Checks an origin group's health check: its path, statuses, times and thresholds. */
final class HealthCheckValidator {
    private HealthCheckValidator() {
    }

    /** Checks the health check at {@code path}; a null one (no active checks) needs no check. */
    static void check(HealthCheckConfig check, String path, Problems problems) {
        if (check == null) {
            return;
        }
        if (check.path() == null || !check.path().startsWith("/") || check.path().chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            problems.add(Problems.child(path, "path"), Problems.shorten(String.valueOf(check.path())),
                    "a path starting with / without spaces or control characters");
        }
        List<Integer> statuses = ConfigValidator.orEmpty(check.expectedStatuses());
        if (statuses.isEmpty()) {
            problems.add(Problems.child(path, "expectedStatuses"), "[]", "at least one status from 100 to 599");
        }
        for (int i = 0; i < statuses.size(); i++) {
            int status = statuses.get(i);
            if (status < 100 || status > 599) {
                problems.add(Problems.element(Problems.child(path, "expectedStatuses"), i), Integer.toString(status),
                        "a status from 100 to 599");
            }
        }
        ConfigValidator.positive(check.interval(), Problems.child(path, "interval"), problems);
        ConfigValidator.positive(check.timeout(), Problems.child(path, "timeout"), problems);
        ConfigValidator.positive(check.certificateWarning(), Problems.child(path, "certificateWarning"), problems);
        if (check.jitter().isNegative()) {
            problems.add(Problems.child(path, "jitter"), Durations.format(check.jitter()), "a duration of 0ms or more");
        }
        if (check.healthyThreshold() < 1) {
            problems.add(Problems.child(path, "healthyThreshold"), Integer.toString(check.healthyThreshold()),
                    "1 or more");
        }
        if (check.unhealthyThreshold() < 1) {
            problems.add(Problems.child(path, "unhealthyThreshold"), Integer.toString(check.unhealthyThreshold()),
                    "1 or more");
        }
        if (check.slowWarningPercent() < 1 || check.slowWarningPercent() > 100) {
            problems.add(Problems.child(path, "slowWarningPercent"), Integer.toString(check.slowWarningPercent()),
                    "a percentage from 1 to 100");
        }
    }
}
