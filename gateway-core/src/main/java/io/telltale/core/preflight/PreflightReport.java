package io.telltale.core.preflight;

import java.util.List;

/**
 * The verdict matrix of one origin.
 *
 * @param url the origin URL probed
 * @param verdicts one verdict per profile, in the order asked
 * @param warnings warnings that concern the profiles together (one CDN's timeout passed, another's not)
 */
public record PreflightReport(String url, List<Verdict> verdicts, List<String> warnings) {
    /** The exit status when every profile passes without warnings. */
    public static final int PASS = 0;
    /** The exit status when every profile passes but some warn. */
    public static final int WARNINGS = 1;
    /** The exit status when at least one profile fails. */
    public static final int FAILURES = 3;

    public PreflightReport {
        verdicts = List.copyOf(verdicts);
        warnings = List.copyOf(warnings);
    }

    /** Returns the exit status this report calls for. */
    public int exitStatus() {
        if (verdicts.stream().anyMatch(v -> !v.pass())) {
            return FAILURES;
        }
        return !warnings.isEmpty() || verdicts.stream().anyMatch(v -> !v.warnings().isEmpty()) ? WARNINGS : PASS;
    }
}
