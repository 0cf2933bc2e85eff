package io.telltale.core.config;

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
 */
public record OriginGroupConfig(
        @Default("failover") BalancePolicy policy,
        @Default("[500, 502, 503, 504, 403, 404]") List<Integer> failoverStatuses,
        @Default("url") String hashOn) {
}
