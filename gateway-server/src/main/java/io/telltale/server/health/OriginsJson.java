package io.telltale.server.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telltale.core.config.OriginConfig;
import io.telltale.server.balance.OriginGroup;
import io.telltale.server.proxy.Site;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API's {@code /origins}: every site's origins with their state (healthy, unhealthy, ejected, resting
 * or unchecked), since when, the last failed check, ejections, requests in flight and the doctor's warnings.
 */
public final class OriginsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OriginsJson() {
    }

    /**
     * Renders the origins of every site.
     *
     * @param sites the configured sites
     * @param nowNanos the gateway's nanosecond clock now, which ejections and rests are timed on
     */
    public static byte[] render(List<Site> sites, long nowNanos) {
        List<Map<String, Object>> list = new ArrayList<>(sites.size());
        for (Site site : sites) {
            OriginGroup group = site.group();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("site", site.config().name());
            s.put("policy", group.configured() ? site.config().originGroup().policy().name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') : null);
            s.put("healthChecks", group.health() != null);
            s.put("outlierDetection", group.detectsOutliers());
            List<Map<String, Object>> origins = new ArrayList<>();
            for (int i = 0; i < site.config().origins().size(); i++) {
                origins.add(origin(group, i, site.config().origins().get(i), nowNanos));
            }
            s.put("origins", origins);
            list.add(s);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("sites", list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("origins do not render as JSON", e);
        }
    }

    private static Map<String, Object> origin(OriginGroup group, int i, OriginConfig config, long nowNanos) {
        OriginHealth health = group.health();
        OriginStatus status = health == null ? null : health.status(i);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("origin", config.host() + ":" + config.httpPort());
        o.put("state", state(group, status, i, nowNanos));
        o.put("since", status == null ? null : instant(status.sinceMillis()));
        o.put("lastFailure", status == null ? null : status.lastFailure());
        o.put("lastFailureDetail", status == null ? null : status.lastFailureDetail());
        o.put("lastFailureAt", status == null || status.lastFailureMillis() == 0 ? null : instant(status.lastFailureMillis()));
        o.put("checks", status == null ? 0 : status.checks());
        o.put("transitions", status == null ? 0 : status.transitions());
        o.put("ejections", group.ejections(i));
        o.put("inFlight", group.active(i));
        o.put("certificateExpiresAt", status == null || status.certificateNotAfterMillis() == 0 ? null
                : instant(status.certificateNotAfterMillis()));
        List<Map<String, String>> warnings = new ArrayList<>();
        if (status != null) {
            status.warnings().forEach((kind, text) -> warnings.add(Map.of("kind", kind, "warning", text)));
        }
        o.put("warnings", warnings);
        return o;
    }

    private static String state(OriginGroup group, OriginStatus status, int i, long nowNanos) {
        if (group.ejected(i, nowNanos)) {
            return "ejected";
        }
        if (group.resting(i, nowNanos)) {
            return "resting";
        }
        if (status == null) {
            return "unchecked";
        }
        return status.healthy() ? "healthy" : "unhealthy";
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
