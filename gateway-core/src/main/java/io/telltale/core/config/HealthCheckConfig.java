package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Active health checks for the origins of a group: each origin is asked for {@code path} every {@code interval}
 * through the same resolver, connector and TLS verification as requests, and leaves the group's orders after
 * {@code unhealthyThreshold} failed checks in a row until {@code healthyThreshold} pass in a row.
 *
 * @param path the path and query each check asks for with GET
 * @param expectedStatuses the statuses that count as a passed check
 * @param interval the time between the end of one check and the start of the next
 * @param timeout the most one check may take, connecting included
 * @param healthyThreshold passed checks in a row that bring an unhealthy origin back
 * @param unhealthyThreshold failed checks in a row that make a healthy origin unhealthy
 * @param jitter the most added at random to each interval, so that checks of many origins spread out
 * @param certificateWarning how long before its origin certificate expires a check warns of it
 * @param slowWarningPercent the share of {@code timeout} a check's response time may reach before it warns
 */
public record HealthCheckConfig(
        @Default("/") String path,
        @Default("[200]") List<Integer> expectedStatuses,
        @Default("10s") Duration interval,
        @Default("2s") Duration timeout,
        @Default("2") int healthyThreshold,
        @Default("3") int unhealthyThreshold,
        @Default("1s") Duration jitter,
        @Default("14d") Duration certificateWarning,
        @Default("80") int slowWarningPercent) {
}
