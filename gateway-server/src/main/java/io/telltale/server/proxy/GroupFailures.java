package io.telltale.server.proxy;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.server.balance.OriginGroup;
import java.util.ArrayList;
import java.util.List;

/** The failures an origin group itself decides: no origin left to try, and a retry its budget refused. */
final class GroupFailures {
    private GroupFailures() {
    }

    /**
     * Returns the failure of a request whose group has no origin left to try, each origin named with why it is
     * left out: resting after a 503 with Retry-After, ejected by outlier detection, or unhealthy by its checks.
     */
    static Failure noHealthyOrigin(ProxyExchange e, long nowNanos) {
        OriginGroup group = e.site.group();
        List<String> away = new ArrayList<>();
        for (int i = 0; i < e.site.origins().size(); i++) {
            String origin = e.site.target(i, e.facts().viewerTls(), e.hostName).nextHop();
            if (group.resting(i, nowNanos)) {
                long seconds = Math.max(0, (group.restingUntil(i) - nowNanos) / 1_000_000_000L);
                away.add(origin + " rests " + seconds + " s more (Retry-After)");
            } else if (group.ejected(i, nowNanos)) {
                away.add(origin + " is ejected after failing in a row");
            } else if (group.health() != null && !group.health().healthy(i)) {
                away.add(origin + " " + group.health().reason(i));
            }
        }
        return Failure.of(FailureCode.NO_HEALTHY_ORIGIN, "No origin of site " + e.site.name()
                        + " may take requests now: " + String.join("; ", away) + ".",
                Evidence.builder().put("site", e.site.name()).put("origins", away).build());
    }

    /** Returns the failure of a request whose failed attempt could have been retried but for the budget. */
    static Failure retryBudgetSpent(ProxyExchange e, String failedWith) {
        String budget = e.site.group().budget();
        return Failure.of(FailureCode.RETRY_BUDGET_EXHAUSTED, "The origin " + e.nextHop() + " failed with "
                        + failedWith + " and the retry budget refused another try: " + budget + ".",
                Evidence.builder()
                        .put("site", e.site.name())
                        .put("origin", e.nextHop())
                        .put("failedWith", failedWith)
                        .put("budget", budget)
                        .build());
    }
}
