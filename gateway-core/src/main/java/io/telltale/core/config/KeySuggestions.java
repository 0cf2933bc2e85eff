package io.telltale.core.config;

import java.util.List;
import java.util.Locale;

/** Finds the known key a misspelt one was most likely meant to be. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    /**
     * Returns the known key nearest to the unknown one by edit distance, ignoring case, hyphens and underscores, or
     * null when none is close enough to be a plausible typo.
     */
    static String nearest(String unknown, List<String> known) {
        String wanted = normalise(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(wanted, normalise(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerance = Math.max(1, Math.min(3, wanted.length() / 4));
        return bestDistance <= tolerance ? best : null;
    }

    private static String normalise(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
