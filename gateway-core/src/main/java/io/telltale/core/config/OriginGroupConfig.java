package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * How a site with several origins chooses among them and when a request moves on to the next one.
 *
 * <p>Whatever the policy, a request moves on to the next origin when connecting fails (DNS, TCP or TLS), when
 * a response times out or breaks before any of it was sent (idempotent requests without a body only), and
 * when the origin answers one of {@code failoverStatuses} (idempotent requests without a body only).
 *
 * @param policy which origin a request tries first
 * @param failoverStatuses origin statuses that send the request on to the next origin, as CloudFront origin
 *     groups do; the last origin's answer is passed through as it is
 * @param hashOn what the {@code hash} policy hashes: {@code url}, {@code header:NAME} or {@code cookie:NAME}
 * @param retryBudgetPercent the most retries in flight, as a share of the group's requests in flight (0-100),
 *     so that a failing origin cannot multiply the load (Envoy's retry budget)
 * @param minRetryConcurrency retries always allowed in flight whatever the share says
 * @param perTryTimeout the most one attempt may take from its start to the response's first byte, connecting
 *     included, before the request moves on to the next origin; null for the origin's own timeouts only
 * @param outlierDetection when origins failing in a row are left out for a while, or null for never
 * @param retryBackoff the base wait before a retry: each waits between half of it and all of it, doubling per
 *     retry of the same request up to ten times the base; 0ms for none
 * @param healthCheck active health checks of the group's origins, or null for none
 */
public record OriginGroupConfig(
        @Default("failover") BalancePolicy policy,
        @Default("[500, 502, 503, 504, 403, 404]") List<Integer> failoverStatuses,
        @Default("url") String hashOn,
        @Default("20") int retryBudgetPercent,
        @Default("3") int minRetryConcurrency,
        @Default("0ms") Duration retryBackoff,
        @Optional Duration perTryTimeout,
        @Optional OutlierDetectionConfig outlierDetection,
        @Optional HealthCheckConfig healthCheck) {
}
