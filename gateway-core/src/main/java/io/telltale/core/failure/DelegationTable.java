package io.telltale.core.failure;

import java.util.List;
import java.util.Map;

/**
 * The DNS delegation diagnosis as people read it: which zone, which parent, each authoritative server asked
 * directly and what it answered, then what was wrong.
 */
final class DelegationTable {
    private static final List<String> COLUMNS = List.of("zone", "ns", "address", "role", "outcome", "ms");
    private static final List<String> HEADINGS = List.of("Zone", "Server", "Address", "Asked as", "Answer", "Time");

    private DelegationTable() {
    }

    /** Writes the table when the evidence holds a delegation diagnosis. */
    static void write(StringBuilder out, Map<String, Object> evidence) {
        if (!(evidence.get("delegation") instanceof Map<?, ?> d)) {
            return;
        }
        out.append("<h3>DNS delegation</h3><p>").append(Html.esc(String.valueOf(d.get("name")))).append(" belongs to the zone <code>")
                .append(Html.esc(String.valueOf(d.get("apex")))).append("</code>");
        Object parent = d.get("parent");
        if (parent != null && !"unknown".equals(parent)) {
            out.append(", delegated by <code>").append(Html.esc(String.valueOf(parent))).append("</code>");
        }
        out.append("; checked in ")
                .append(Html.esc(String.valueOf(d.get("elapsedMs")))).append(" ms")
                .append(Boolean.FALSE.equals(d.get("complete")) ? " (the time ran out before every check finished)" : "")
                .append(".</p>");
        if (d.get("cnameChain") instanceof List<?> chain && !chain.isEmpty()) {
            out.append("<p>Followed the CNAME chain:</p><ol class=\"chain\">");
            chain.forEach(link -> out.append("<li>").append(Html.esc(String.valueOf(link))).append("</li>"));
            out.append("</ol>");
            if (d.get("brokenZone") != null) {
                out.append("<p>Resolution breaks in the zone <code>").append(Html.esc(String.valueOf(d.get("brokenZone"))))
                        .append("</code>.</p>");
            }
        }
        if (d.get("servers") instanceof List<?> servers && !servers.isEmpty()) {
            out.append("<table class=\"grid delegation\"><thead><tr>");
            for (String h : HEADINGS) {
                out.append("<th>").append(h).append("</th>");
            }
            out.append("</tr></thead><tbody>");
            for (Object row : servers) {
                if (row instanceof Map<?, ?> server) {
                    boolean bad = !String.valueOf(server.get("outcome")).startsWith("NOERROR");
                    out.append("<tr").append(bad ? " class=\"bad\"" : "").append('>');
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        Object value = server.get(COLUMNS.get(i));
                        out.append("<td data-label=\"").append(HEADINGS.get(i)).append("\">")
                                .append(Html.esc(value == null ? "" : value + (COLUMNS.get(i).equals("ms") ? " ms" : "")))
                                .append("</td>");
                    }
                    out.append("</tr>");
                }
            }
            out.append("</tbody></table>");
        }
        if (d.get("findings") instanceof List<?> findings && !findings.isEmpty()) {
            out.append("<ul class=\"findings\">");
            for (Object f : findings) {
                if (f instanceof Map<?, ?> finding) {
                    out.append("<li><strong>").append(Html.esc(String.valueOf(finding.get("id")))).append("</strong> ")
                            .append(Html.esc(String.valueOf(finding.get("finding")))).append("</li>");
                }
            }
            out.append("</ul>");
        } else {
            out.append("<p>The delegation itself looks healthy.</p>");
        }
    }
}
