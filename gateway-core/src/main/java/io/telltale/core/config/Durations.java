package io.telltale.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations in config notation: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d} or {@code 0}. */
public final class Durations {
    /** What a duration looks like, for error messages. */
    public static final String EXPECTED = "a duration such as 250ms, 10s, 5m, 1h or 1d";

    private static final Pattern NOTATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses a duration in config notation, throwing {@link IllegalArgumentException} when it is not one. */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = NOTATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }

    /** Writes a duration in the largest config unit that holds it exactly, so that {@code parse(format(d))} is {@code d}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        long millis = duration.toMillis();
        if (millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
