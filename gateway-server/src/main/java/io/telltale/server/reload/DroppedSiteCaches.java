package io.telltale.server.reload;

import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.SiteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which sites' stored responses a reload drops: those whose cache settings changed (their keys or freshness rules
 * may now differ), that stopped caching, or that are gone. Every other site keeps its cache.
 */
public final class DroppedSiteCaches {
    private DroppedSiteCaches() {
    }

    /** Returns the names of the running config's caching sites whose stored responses the new config drops. */
    public static List<String> of(GatewayConfig running, GatewayConfig next) {
        Map<String, SiteConfig> after = next.sites().stream()
                .collect(Collectors.toMap(SiteConfig::name, Function.identity(), (first, second) -> first));
        List<String> dropped = new ArrayList<>();
        for (SiteConfig site : running.sites()) {
            SiteConfig now = after.get(site.name());
            if (site.cache().enabled() && (now == null || !site.cache().equals(now.cache()))) {
                dropped.add(site.name());
            }
        }
        return dropped;
    }
}
