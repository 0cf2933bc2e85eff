package io.telltale.core.failure;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Finds catalogue codes near a mistyped one, for {@code telltale explain} and unknown catalogue pages. */
public final class CodeLookup {
    private CodeLookup() {
    }

    /**
     * Returns up to {@code limit} codes closest to the text: those whose edge number or status equals it
     * first, then by edit distance ignoring case.
     */
    public static List<String> nearest(String text, int limit) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        List<FailureCode> byNumber = Arrays.stream(FailureCode.values())
                .filter(c -> wanted.equals(c.edgeNumber()) || wanted.equals(String.valueOf(c.status())))
                .toList();
        if (!byNumber.isEmpty()) {
            return byNumber.stream().limit(limit).map(FailureCode::code).toList();
        }
        return Arrays.stream(FailureCode.values())
                .sorted(Comparator.comparingInt((FailureCode c) -> distance(wanted, c.code().toLowerCase(Locale.ROOT))))
                .limit(limit)
                .map(FailureCode::code)
                .toList();
    }

    /** Returns the Levenshtein distance between two strings. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
