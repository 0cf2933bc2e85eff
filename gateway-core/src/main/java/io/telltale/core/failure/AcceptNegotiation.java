package io.telltale.core.failure;

import java.util.List;
import java.util.Locale;

/**
 * Picks the body format an {@code Accept} header prefers (RFC 9110 section 12.5.1).
 *
 * <p>The highest q-value wins; on a tie the more specific range, then the range listed first, then the
 * first offered type. {@code application/json} is accepted for {@code application/problem+json}.
 */
public final class AcceptNegotiation {
    /** The problem details type of RFC 9457. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** HTML for browsers. */
    public static final String HTML = "text/html";
    /** Plain text for curl and {@code *}{@code /*}. */
    public static final String PLAIN = "text/plain";
    /** The error formats in the order preferred when the client has no preference. */
    public static final List<String> ERROR_FORMATS = List.of(PLAIN, PROBLEM_JSON, HTML);

    private AcceptNegotiation() {
    }

    /** Returns the offered type the header prefers, or the first offered one when it accepts none. */
    public static String choose(String accept, List<String> offered) {
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        String best = offered.get(0);
        double bestQ = 0;
        int bestSpecificity = -1;
        int bestPosition = Integer.MAX_VALUE;
        String[] ranges = accept.split(",");
        for (String type : offered) {
            double q = -1;
            int specificity = -1;
            int position = Integer.MAX_VALUE;
            for (int i = 0; i < ranges.length; i++) {
                String[] parts = ranges[i].split(";");
                int s = specificity(parts[0].trim().toLowerCase(Locale.ROOT), type);
                if (s > specificity) {
                    specificity = s;
                    q = quality(parts);
                    position = i;
                }
            }
            if (specificity < 0 || q <= 0) {
                continue;
            }
            if (q > bestQ || (q == bestQ && (specificity > bestSpecificity
                    || (specificity == bestSpecificity && position < bestPosition)))) {
                best = type;
                bestQ = q;
                bestSpecificity = specificity;
                bestPosition = position;
            }
        }
        return best;
    }

    private static int specificity(String range, String type) {
        if (range.equals(type) || (type.equals(PROBLEM_JSON) && range.equals("application/json"))) {
            return 2;
        }
        if (range.equals("*/*")) {
            return 0;
        }
        int slash = type.indexOf('/');
        return range.endsWith("/*") && range.regionMatches(0, type, 0, slash + 1) && range.length() == slash + 2 ? 1 : -1;
    }

    private static double quality(String[] params) {
        for (int i = 1; i < params.length; i++) {
            String p = params[i].trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q < 0 || q > 1 || Double.isNaN(q) ? 0 : q;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
