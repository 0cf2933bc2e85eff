package io.telltale.server.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scenario list as JSON, for {@code GET /lab/scenarios} on the admin port: what the landing page shows. */
final class ScenarioJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScenarioJson() {
    }

    /** Renders the scenarios of a running lab, with the URLs to try each. */
    static String render(List<LabScenario> scenarios, LabEndpoints at) {
        List<Map<String, Object>> list = new ArrayList<>(scenarios.size());
        for (LabScenario s : scenarios) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("host", s.host());
            m.put("url", s.url(at.httpPort()));
            m.put("group", s.group());
            m.put("breaks", s.breaks());
            m.put("outcome", s.outcome().name());
            m.put("status", s.status());
            m.put("code", s.code() == null ? null : s.code().code());
            m.put("proxyStatusError", s.proxyStatusError());
            m.put("expect", s.expectation());
            m.put("catalogue", s.catalogueLink());
            m.put("available", s.available());
            m.put("unavailableReason", s.unavailableReason());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("landing", at.landingUrl());
        root.put("https", at.httpsExampleUrl());
        root.put("caFile", at.caFile().toString());
        root.put("dns", at.dnsResolver());
        root.put("scenarios", list);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the scenario list cannot be written as JSON", e);
        }
    }
}
