package io.telltale.server.lab;

import java.util.List;
import java.util.Map;

/** The lab's landing page: every scenario, grouped by phase, as one self-contained HTML page. */
final class LandingPage {
    private static final int SHOWN_URL_LENGTH = 56;
    private static final String STYLE = "body{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;"
            + "padding:0 1rem;color:#1d1d1f}h1{margin-bottom:.2rem}h2{margin-top:2rem;text-transform:capitalize}"
            + "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;"
            + "border-bottom:1px solid #ddd;vertical-align:top}th{font-weight:600;background:#f5f5f7}"
            + "code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}.expect{white-space:nowrap}"
            + "small{color:#666}.unavailable{color:#888}";

    private LandingPage() {
    }

    /** Renders the page for a running lab; every text is HTML-escaped. */
    static String render(List<LabScenario> scenarios, LabEndpoints at) {
        return render(scenarios, at, "");
    }

    /** Renders the page for a running lab with a closing section of ready HTML (the CDN matrix). */
    static String render(List<LabScenario> scenarios, LabEndpoints at, String closingSection) {
        StringBuilder out = new StringBuilder(16384);
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Telltale lab</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>Telltale lab</h1>\n<p>Each scenario is a site of this gateway broken in one way, for real, ")
                .append("on loopback: a DNS server with scripted faults, origins that refuse, stall, lie or break TLS. ")
                .append("Follow a link, or try it with <code>curl -i URL</code>; add ")
                .append("<code>-H 'Accept: application/problem+json'</code> for the evidence as JSON. The ")
                .append("<code>ws-</code> scenarios are pages whose script opens a WebSocket at <code>/ws</code> ")
                .append("through the gateway.</p>\n<p>HTTPS: ")
                .append(link(at.httpsExampleUrl(), at.httpsExampleUrl())).append(" with the lab CA <code>")
                .append(escape(at.caFile().toString())).append("</code> (<code>curl --cacert ")
                .append(escape(at.caFile().toString())).append(' ').append(escape(at.httpsExampleUrl()))
                .append("</code>). Lab DNS: <code>dig @").append(escape(at.dnsResolver().replace(":", " -p ")))
                .append(" www.lab.test</code>. The same list as JSON: ")
                .append(link(at.scenariosJsonUrl(), at.scenariosJsonUrl())).append(". Every origin's state, its health ")
                .append("checks and the origin doctor's warnings: ").append(link(at.originsUrl(), at.originsUrl()))
                .append(".</p>\n");
        for (Map.Entry<String, List<LabScenario>> group : LabScenarios.byGroup(scenarios).entrySet()) {
            out.append("<h2>").append(escape(group.getKey())).append("</h2>\n<table><tr><th>Scenario</th>")
                    .append("<th>What it breaks</th><th>Expect</th><th>Catalogue entry</th></tr>\n");
            for (LabScenario s : group.getValue()) {
                row(out, s, at.httpPort());
            }
            out.append("</table>\n");
        }
        return out.append(closingSection).append("</body></html>\n").toString();
    }

    private static void row(StringBuilder out, LabScenario s, int httpPort) {
        String url = s.url(httpPort);
        out.append("<tr id=\"").append(escape(s.name())).append('"')
                .append(s.available() ? "" : " class=\"unavailable\"").append("><td>");
        if (s.available()) {
            out.append(link(url, s.name())).append("<br><small>").append(escape(shortened(url))).append("</small>");
        } else {
            out.append(escape(s.name()));
        }
        out.append("</td><td>").append(escape(s.breaks()));
        if (!s.available()) {
            out.append("<br><small>Unavailable here: ").append(escape(s.unavailableReason())).append("</small>");
        }
        out.append("</td><td class=\"expect\">").append(escape(s.expectation()));
        if (s.proxyStatusError() != null) {
            out.append("<br><small>Proxy-Status: ").append(escape(s.proxyStatusError())).append("</small>");
        }
        out.append("</td><td>");
        if (s.catalogueLink() != null) {
            out.append(link(s.catalogueLink(), s.code().code()));
        }
        out.append("</td></tr>\n");
    }

    /** Returns a URL cut to a readable length, for display only. */
    static String shortened(String url) {
        return url.length() <= SHOWN_URL_LENGTH ? url
                : url.substring(0, SHOWN_URL_LENGTH) + "\u2026 (" + (url.length() + 512) / 1024 + " KiB URL)";
    }

    private static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }

    /** Escapes text for HTML content and double-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
