package io.telltale.core.config;

import java.util.List;
import java.util.regex.Pattern;

/** Checks a site's origin group: the statuses it fails over on and what its hash policy hashes. */
final class OriginGroupValidator {
    /** What {@code hashOn} accepts: the URL, or a header or cookie by a token name. */
    static final Pattern HASH_ON = Pattern.compile("url|header:[!#$%&'*+.^_`|~0-9A-Za-z-]+|cookie:[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private OriginGroupValidator() {
    }

    /** Checks the group at {@code path}; a null group (the plain ordered list) needs no check. */
    static void check(OriginGroupConfig group, String path, Problems problems) {
        if (group == null) {
            return;
        }
        List<Integer> statuses = ConfigValidator.orEmpty(group.failoverStatuses());
        for (int i = 0; i < statuses.size(); i++) {
            int status = statuses.get(i);
            if (status < 400 || status > 599) {
                problems.add(Problems.element(Problems.child(path, "failoverStatuses"), i), Integer.toString(status),
                        "an error status from 400 to 599");
            }
        }
        if (group.retryBudgetPercent() < 0 || group.retryBudgetPercent() > 100) {
            problems.add(Problems.child(path, "retryBudgetPercent"), Integer.toString(group.retryBudgetPercent()),
                    "a percentage from 0 to 100");
        }
        if (group.minRetryConcurrency() < 0) {
            problems.add(Problems.child(path, "minRetryConcurrency"), Integer.toString(group.minRetryConcurrency()),
                    "0 or more");
        }
        if (group.retryBackoff().isNegative()) {
            problems.add(Problems.child(path, "retryBackoff"), Durations.format(group.retryBackoff()),
                    "a duration of 0ms or more");
        }
        if (group.perTryTimeout() != null) {
            ConfigValidator.positive(group.perTryTimeout(), Problems.child(path, "perTryTimeout"), problems);
        }
        OutlierDetectionConfig outliers = group.outlierDetection();
        if (outliers != null) {
            String at = Problems.child(path, "outlierDetection");
            if (outliers.consecutiveFailures() < 1) {
                problems.add(Problems.child(at, "consecutiveFailures"), Integer.toString(outliers.consecutiveFailures()),
                        "1 or more");
            }
            ConfigValidator.positive(outliers.baseEjectionTime(), Problems.child(at, "baseEjectionTime"), problems);
            if (outliers.maxEjectionPercent() < 0 || outliers.maxEjectionPercent() > 100) {
                problems.add(Problems.child(at, "maxEjectionPercent"), Integer.toString(outliers.maxEjectionPercent()),
                        "a percentage from 0 to 100");
            }
        }
        HealthCheckValidator.check(group.healthCheck(), Problems.child(path, "healthCheck"), problems);
        if (group.hashOn() == null || !HASH_ON.matcher(group.hashOn()).matches()) {
            problems.add(Problems.child(path, "hashOn"), Problems.shorten(String.valueOf(group.hashOn())),
                    "url, header:NAME or cookie:NAME");
        }
    }
}
