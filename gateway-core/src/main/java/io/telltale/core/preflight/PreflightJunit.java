package io.telltale.core.preflight;

/** Renders a preflight matrix as a JUnit XML report, one test case per CDN, so that a deploy pipeline can fail on it. */
public final class PreflightJunit {
    private PreflightJunit() {
    }

    /** Returns the matrix as a JUnit {@code testsuite} document. */
    public static String write(PreflightReport report) {
        long failures = report.verdicts().stream().filter(v -> !v.pass()).count();
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<testsuite name=\"telltale preflight ").append(xml(report.url())).append("\" tests=\"")
                .append(report.verdicts().size()).append("\" failures=\"").append(failures).append("\">\n");
        for (Verdict v : report.verdicts()) {
            out.append("  <testcase classname=\"preflight\" name=\"").append(xml(v.profile())).append("\">\n");
            if (!v.pass()) {
                out.append("    <failure message=\"").append(xml((v.status() == 0 ? "" : v.status() + " ")
                        + (v.cdnError() == null ? "" : v.cdnError() + " ") + (v.code() == null ? "" : v.code())))
                        .append("\">").append(xml(v.what() + "\nfix: " + v.fix())).append("</failure>\n");
            }
            if (!v.warnings().isEmpty()) {
                out.append("    <system-out>").append(xml(String.join("\n", v.warnings()))).append("</system-out>\n");
            }
            out.append("  </testcase>\n");
        }
        return out.append("</testsuite>\n").toString();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
