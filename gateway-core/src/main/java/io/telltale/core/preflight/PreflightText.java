package io.telltale.core.preflight;

/** Renders a preflight matrix for a terminal: one line per CDN, then its fix and warnings. */
public final class PreflightText {
    private PreflightText() {
    }

    /** Returns the matrix as text. */
    public static String render(PreflightReport report) {
        StringBuilder out = new StringBuilder("preflight ").append(report.url()).append('\n');
        for (Verdict v : report.verdicts()) {
            out.append(String.format("  %-20s ", v.profile()));
            if (v.pass()) {
                out.append("pass\n");
            } else {
                out.append("FAIL ").append(v.status() == 0 ? "" : v.status() + " ")
                        .append(v.cdnError() == null ? "" : v.cdnError() + " ")
                        .append(v.code() == null ? "" : "(" + v.code() + ")").append('\n')
                        .append("  ").append(" ".repeat(21)).append(v.what()).append('\n')
                        .append("  ").append(" ".repeat(21)).append("fix: ").append(v.fix()).append('\n');
            }
            for (String w : v.warnings()) {
                out.append("  ").append(" ".repeat(21)).append("warning: ").append(w).append('\n');
            }
        }
        for (String w : report.warnings()) {
            out.append("warning: ").append(w).append('\n');
        }
        long failed = report.verdicts().stream().filter(v -> !v.pass()).count();
        out.append(failed == 0 ? "every CDN would reach this origin" : failed + " of " + report.verdicts().size()
                + " CDNs would fail visitors").append('\n');
        return out.toString();
    }
}
