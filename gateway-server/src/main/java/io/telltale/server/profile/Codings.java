package io.telltale.server.profile;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Reads an {@code Accept-Encoding} field for the codings it accepts (RFC 9110 §12.5.3). */
final class Codings {
    private Codings() {
    }

    /**
     * Returns whether the field accepts every coding of {@code wanted} (a comma-separated list): named with a weight
     * above zero, or covered by {@code *}. An absent field accepts none of them here, since a CDN's rewrite would then
     * ask the origin for codings the visitor never offered.
     */
    static boolean acceptsAll(String field, String wanted) {
        if (field == null) {
            return false;
        }
        Set<String> accepted = new HashSet<>();
        Set<String> refused = new HashSet<>();
        for (String member : field.split(",")) {
            String[] parts = member.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            (zeroWeight(parts) ? refused : accepted).add(coding);
        }
        for (String coding : wanted.split(",")) {
            String c = coding.trim().toLowerCase(Locale.ROOT);
            if (refused.contains(c) || !(accepted.contains(c) || accepted.contains("*"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeroWeight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    // A weight that does not parse accepts nothing for certain: leave the visitor's field alone.
                    return true;
                }
            }
        }
        return false;
    }
}
