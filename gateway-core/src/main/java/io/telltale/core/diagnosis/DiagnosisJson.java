package io.telltale.core.diagnosis;

import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shape of a {@link DiagnosisReport}, for {@code --json} and the admin API's {@code /diagnose}. */
public final class DiagnosisJson {
    private DiagnosisJson() {
    }

    /** Returns the report as ordered maps of plain values. */
    public static Map<String, Object> toMap(DiagnosisReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        ProbeTarget t = report.target();
        m.put("url", t.url());
        m.put("scheme", t.scheme());
        m.put("host", t.host());
        m.put("port", t.port());
        m.put("path", t.path());
        m.put("sni", report.sni());
        m.put("resolvers", report.resolvers());
        m.put("startedAt", report.startedAt().toString());
        m.put("ms", report.millis());
        m.put("complete", report.complete());
        m.put("healthy", report.healthy());
        Failure verdict = report.verdict().orElse(null);
        m.put("verdict", verdict != null ? verdict.code().code() : report.healthy() ? "healthy" : "inconclusive");
        m.put("gatewayStatus", verdict == null ? null : verdict.code().status());
        m.put("verdictLine", report.verdictLine());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (DiagnosisStep s : report.steps()) {
            steps.add(step(s));
        }
        m.put("steps", steps);
        return m;
    }

    /** Returns the report as a JSON document. */
    public static String write(DiagnosisReport report) {
        return FailureJson.writeString(toMap(report));
    }

    private static Map<String, Object> step(DiagnosisStep s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.name());
        m.put("status", s.status().name().toLowerCase(Locale.ROOT));
        m.put("ms", s.millis());
        m.put("summary", s.summary());
        m.put("code", s.code() == null ? null : s.code().code());
        if (s.failure() != null) {
            Map<String, Object> failure = FailureJson.failure(s.failure());
            // The step's evidence already holds the failure's, and more.
            failure.remove("evidence");
            m.put("failure", failure);
        }
        m.put("evidence", s.evidence().facts());
        m.put("repeat", s.commands());
        return m;
    }
}
