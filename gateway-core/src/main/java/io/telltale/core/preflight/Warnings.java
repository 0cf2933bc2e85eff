package io.telltale.core.preflight;

import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.diagnosis.DiagnosisReport;
import io.telltale.core.diagnosis.DiagnosisStep;
import io.telltale.core.diagnosis.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What would break later: read from the one probe each profile made, never from a second one. */
final class Warnings {
    private Warnings() {
    }

    /**
     * Returns the warnings of one profile's probe.
     *
     * @param cdnIdle how long the CDN keeps an idle connection to the origin, or null when it does not document it
     */
    static List<String> of(DiagnosisReport report, OriginConfig origin, int expiryWindowDays, String vendor,
            Duration cdnIdle) {
        List<String> out = new ArrayList<>();
        keepAlive(report, vendor, cdnIdle, out);
        DiagnosisStep tls = report.steps().stream().filter(s -> s.name().equals("tls")).findFirst().orElse(null);
        if (tls == null || tls.status() != StepStatus.OK) {
            return out;
        }
        if (tls.evidence().get("leafExpiresInDays") instanceof Number days && days.longValue() <= expiryWindowDays) {
            out.add("the certificate expires in " + days + " days, within the " + expiryWindowDays + "-day window");
        }
        if (Boolean.FALSE.equals(tls.evidence().get("chainInOrder")) && origin.chainOrder() == ChainOrderPolicy.LENIENT) {
            out.add("the certificate chain is out of order: accepted here, but how this CDN's strict mode treats it is "
                    + "not documented");
        }
        return out;
    }

    /** Warns when the origin drops idle connections before the CDN stops reusing them: the CDN's next request races it. */
    private static void keepAlive(DiagnosisReport report, String vendor, Duration cdnIdle, List<String> out) {
        DiagnosisStep http = report.steps().stream().filter(s -> s.name().equals("http")).findFirst().orElse(null);
        if (cdnIdle == null || http == null || http.status() != StepStatus.OK
                || !(http.evidence().get("keepAliveTimeoutS") instanceof Number seconds)
                || seconds.longValue() >= cdnIdle.toSeconds()) {
            return;
        }
        out.add("the origin closes idle connections after " + seconds + " s (Keep-Alive: timeout=" + seconds + "), before "
                + vendor + "'s " + cdnIdle.toSeconds() + " s idle timeout toward origins: a request " + vendor
                + " sends on a connection the origin is closing fails; keep idle connections open longer than "
                + cdnIdle.toSeconds() + " s");
    }

    /** Returns the warnings that compare profiles: a response one CDN waits for and another gives up on. */
    static List<String> across(List<Verdict> verdicts) {
        List<String> slow = verdicts.stream().filter(v -> "OriginResponseTimeout".equals(v.code()))
                .map(Verdict::vendor).toList();
        List<String> waited = verdicts.stream().filter(Verdict::pass).map(Verdict::vendor).toList();
        if (slow.isEmpty() || waited.isEmpty()) {
            return List.of();
        }
        return List.of("the origin answers slower than the first-byte timeout of " + String.join(", ", slow)
                + " but within that of " + String.join(", ", waited));
    }
}
