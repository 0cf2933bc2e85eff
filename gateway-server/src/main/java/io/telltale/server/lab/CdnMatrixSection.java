package io.telltale.server.lab;

import io.telltale.core.preflight.PreflightReport;
import io.telltale.core.preflight.Verdict;
import io.telltale.core.profile.CdnProfile;
import java.util.Map;

/** The landing page's CDN matrix: per lab origin, each CDN's verdict as preflight computed it, or pending. */
final class CdnMatrixSection {
    private CdnMatrixSection() {
    }

    /** Renders the section; every text is HTML-escaped. */
    static String render(CdnMatrix matrix) {
        Map<String, PreflightReport> reports = matrix.reports();
        StringBuilder out = new StringBuilder(4096);
        out.append("<h2 id=\"cdn-matrix\">CDN preflight</h2>\n<p>The same origin, judged by each CDN: ")
                .append("<code>telltale preflight</code> run by the lab against its own origins, at a tenth of every ")
                .append("CDN timeout. A cell is the status and error a visitor would get, or pass; ")
                .append("<small>(!)</small> marks warnings.</p>\n<table><tr><th>Origin</th>");
        for (CdnProfile p : CdnMatrix.columns()) {
            out.append("<th>").append(LandingPage.escape(p.configName())).append("</th>");
        }
        out.append("</tr>\n");
        for (CdnCase c : matrix.cases()) {
            PreflightReport report = reports.get(c.name());
            out.append("<tr id=\"cdn-").append(LandingPage.escape(c.name())).append("\"><td>")
                    .append(LandingPage.escape(c.breaks())).append("<br><small><code>")
                    .append(LandingPage.escape(matrix.command(c))).append("</code></small></td>");
            for (CdnProfile p : CdnMatrix.columns()) {
                out.append("<td>").append(report == null ? "<small>probing\u2026</small>" : cell(report, p)).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    private static String cell(PreflightReport report, CdnProfile profile) {
        Verdict v = report.verdicts().stream().filter(x -> x.profile().equals(profile.configName())).findFirst()
                .orElse(null);
        if (v == null) {
            return "";
        }
        String warned = v.warnings().isEmpty() ? "" : " <small title=\"" + LandingPage.escape(String.join("; ", v.warnings()))
                + "\">(!)</small>";
        if (v.pass()) {
            return "pass" + warned;
        }
        String answer = v.status() == 0 ? v.cdnError() : v.status() + " " + (v.cdnError() != null ? v.cdnError() : v.code());
        return "<span title=\"" + LandingPage.escape(v.what() + " \u2014 fix: " + v.fix()) + "\">FAIL "
                + LandingPage.escape(answer) + "</span>" + warned;
    }
}
