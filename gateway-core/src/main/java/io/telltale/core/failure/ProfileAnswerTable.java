package io.telltale.core.failure;

import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.VendorAnswer;

/** Writes, for {@code docs/errors.md}, what each CDN profile answers for each catalogue entry. */
final class ProfileAnswerTable {
    private ProfileAnswerTable() {
    }

    /** Returns the Markdown table of every entry a profile answers differently, one column per profile. */
    static String table() {
        StringBuilder out = new StringBuilder(4096)
                .append("\n## Under a CDN profile\n\n")
                .append("A site with `profile: <cdn>` answers a failure as that CDN would (status, `X-Cache` wording, and the\n")
                .append("CDN's own name for it in `X-Telltale-Cdn-Error`), and still carries the code, `Proxy-Status` and\n")
                .append("the explaining body. `?` keeps the status below because the CDN documents none; `—` means the CDN\n")
                .append("gives no name of its own. Sources and confidence: [preflight.md](preflight.md).\n\n| code |");
        for (CdnProfile p : CdnProfile.vendors()) {
            out.append(' ').append(p.configName()).append(" |");
        }
        out.append("\n|---|");
        out.append("---|".repeat(CdnProfile.vendors().size())).append('\n');
        for (FailureCode c : FailureCode.values()) {
            if (CdnProfile.vendors().stream().allMatch(p -> p.spec().answer(c.code()) == null)) {
                continue;
            }
            out.append("| ").append(c.code()).append(" (").append(c.status()).append(") |");
            for (CdnProfile p : CdnProfile.vendors()) {
                out.append(' ').append(cell(p.spec().answer(c.code()))).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Returns one entry's answers as a line, or null when no profile answers it differently. */
    static String line(FailureCode code) {
        StringBuilder out = new StringBuilder();
        for (CdnProfile p : CdnProfile.vendors()) {
            VendorAnswer a = p.spec().answer(code.code());
            if (a != null) {
                out.append(out.length() == 0 ? "" : "; ").append(p.configName()).append(' ').append(cell(a));
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String cell(VendorAnswer a) {
        if (a == null) {
            return "as Telltale";
        }
        return (a.statusKnown() ? Integer.toString(a.status()) : "?") + ' '
                + (a.code() == null ? "—" : "`" + a.code() + "`");
    }
}
