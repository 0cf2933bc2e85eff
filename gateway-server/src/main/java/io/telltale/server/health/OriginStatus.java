package io.telltale.server.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health checks know of one origin, as {@code /origins} shows it.
 *
 * @param healthy whether the checks let the origin take requests
 * @param sinceMillis when it became healthy or unhealthy (epoch milliseconds), the checks' start when it never changed
 * @param lastFailure the result of the last failed check (a catalogue code or {@code HTTP} and a status), or null
 * @param lastFailureDetail what the last failed check said, or null
 * @param lastFailureMillis when the last check failed (epoch milliseconds), 0 for never
 * @param checks how many checks ended
 * @param transitions how often the origin turned healthy or unhealthy
 * @param certificateNotAfterMillis when the origin's certificate expires (epoch milliseconds), 0 when unknown
 * @param warnings the origin doctor's warnings by kind
 */
public record OriginStatus(boolean healthy, long sinceMillis, String lastFailure, String lastFailureDetail,
        long lastFailureMillis, long checks, int transitions, long certificateNotAfterMillis,
        Map<String, String> warnings) {
    /** Copies the warnings. */
    public OriginStatus {
        warnings = Collections.unmodifiableMap(new LinkedHashMap<>(warnings));
    }
}
