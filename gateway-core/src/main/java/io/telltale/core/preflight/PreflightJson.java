package io.telltale.core.preflight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a preflight matrix as JSON for scripts. */
public final class PreflightJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreflightJson() {
    }

    /** Returns the matrix as one JSON object. */
    public static String write(PreflightReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("url", report.url());
        root.put("exitStatus", report.exitStatus());
        List<Map<String, Object>> verdicts = report.verdicts().stream().map(PreflightJson::verdict).toList();
        root.put("verdicts", verdicts);
        root.put("warnings", report.warnings());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a preflight report could not be written as JSON", e);
        }
    }

    private static Map<String, Object> verdict(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", v.profile());
        m.put("vendor", v.vendor());
        m.put("pass", v.pass());
        m.put("status", v.status() == 0 ? null : v.status());
        m.put("cdnError", v.cdnError());
        m.put("code", v.code());
        m.put("what", v.what());
        m.put("fix", v.fix());
        m.put("warnings", v.warnings());
        return m;
    }
}
