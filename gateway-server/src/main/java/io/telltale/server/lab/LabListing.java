package io.telltale.server.lab;

import java.util.List;
import java.util.Map;

/** The start-up listing of {@code telltale lab}: where things are, then every scenario with its URL. */
public final class LabListing {
    private LabListing() {
    }

    /** Renders the listing for a running lab as plain text lines. */
    public static String render(List<LabScenario> scenarios, LabEndpoints at) {
        int nameWidth = scenarios.stream().mapToInt(s -> s.name().length()).max().orElse(0) + 2;
        int expectWidth = scenarios.stream().mapToInt(s -> s.expectation().length()).max().orElse(0) + 2;
        int urlWidth = scenarios.stream().mapToInt(s -> LandingPage.shortened(s.url(at.httpPort())).length()).max()
                .orElse(0) + 2;
        long unavailable = scenarios.stream().filter(s -> !s.available()).count();
        StringBuilder out = new StringBuilder(8192);
        out.append("telltale lab: ").append(scenarios.size()).append(" scenarios, every one real, on loopback")
                .append(unavailable == 0 ? "" : " (" + unavailable + " unavailable here)").append('\n')
                .append("  landing page  ").append(at.landingUrl()).append('\n')
                .append("  HTTPS         ").append(at.httpsExampleUrl()).append("  (curl --cacert ")
                .append(at.caFile()).append(")\n")
                .append("  as JSON       ").append(at.scenariosJsonUrl()).append('\n')
                .append("  lab DNS       ").append(at.dnsResolver()).append("  (dig @")
                .append(at.dnsResolver().replace(":", " -p ")).append(" www.lab.test)\n");
        for (Map.Entry<String, List<LabScenario>> group : LabScenarios.byGroup(scenarios).entrySet()) {
            out.append('\n').append(group.getKey()).append('\n');
            for (LabScenario s : group.getValue()) {
                out.append("  ").append(pad(s.name(), nameWidth));
                if (s.available()) {
                    out.append(pad(s.expectation(), expectWidth)).append(pad(LandingPage.shortened(s.url(at.httpPort())), urlWidth))
                            .append(s.breaks());
                } else {
                    out.append(pad("unavailable", expectWidth)).append(s.unavailableReason());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + ' ' : text + " ".repeat(width - text.length());
    }
}
