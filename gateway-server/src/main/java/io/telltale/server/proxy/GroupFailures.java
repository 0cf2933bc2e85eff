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

    /** Returns the failure of a request whose group's origins all asked, with Retry-After, to be left alone. */
    static Failure noHealthyOrigin(ProxyExchange e, long nowNanos) {
        OriginGroup group = e.site.group();
        List<String> resting = new ArrayList<>();
        for (int i = 0; i < e.site.origins().size(); i++) {
            long seconds = Math.max(0, (group.restingUntil(i) - nowNanos) / 1_000_000_000L);
            resting.add(e.site.target(i, e.facts().viewerTls(), e.hostName).nextHop() + " rests " + seconds
                    + " s more (Retry-After)");
        }
        return Failure.of(FailureCode.NO_HEALTHY_ORIGIN, "Every origin of site " + e.site.name()
                        + " answered 503 with Retry-After and rests: " + String.join("; ", resting) + ".",
                Evidence.builder().put("site", e.site.name()).put("origins", resting).build());
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
