package io.telltale.server.health;

import io.telltale.server.observe.GatewayMetrics;
import io.telltale.server.proxy.Site;
import java.util.List;
import java.util.function.LongSupplier;

/** Exports what the health checks and the origin doctor know of each checked origin as metrics. */
public final class HealthMetrics {
    private HealthMetrics() {
    }

    /**
     * Registers, for every origin of a group with health checks: whether it is healthy, how often it turned, when
     * its certificate expires and how many warnings the doctor has for it.
     *
     * @param metrics the gateway's metrics
     * @param sites the configured sites
     * @param epochMillis the wall clock, for the seconds left on a certificate
     */
    public static void register(GatewayMetrics metrics, List<Site> sites, LongSupplier epochMillis) {
        for (Site site : sites) {
            OriginHealth health = site.group().health();
            if (health == null) {
                continue;
            }
            String name = site.config().name();
            for (int i = 0; i < health.size(); i++) {
                int origin = i;
                String label = health.name(i);
                metrics.originGauge("telltale_origin_healthy", "1 while the origin's health checks let it take requests",
                        name, label, health, h -> h.healthy(origin) ? 1 : 0);
                metrics.originCount("telltale_origin_health_transitions",
                        "Times the origin's health checks turned it healthy or unhealthy", name, label, health,
                        h -> h.transitions(origin));
                metrics.originGauge("telltale_origin_certificate_expiry_seconds",
                        "Seconds until the origin's certificate expires, as its last HTTPS health check saw it",
                        name, label, health, h -> h.certificateNotAfter(origin) == 0 ? Double.NaN
                                : (h.certificateNotAfter(origin) - epochMillis.getAsLong()) / 1000.0);
                metrics.originGauge("telltale_origin_warnings", "The origin doctor's warnings for the origin now",
                        name, label, health, h -> h.status(origin).warnings().size());
            }
        }
    }
}
