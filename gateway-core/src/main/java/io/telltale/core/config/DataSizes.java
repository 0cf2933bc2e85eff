package io.telltale.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes sizes in config notation: {@code 512}, {@code 512B}, {@code 64KiB}, {@code 8MiB} or {@code 1GiB}. */
public final class DataSizes {
    /** What a size looks like, for error messages. */
    public static final String EXPECTED = "a size such as 512, 64KiB, 8MiB or 1GiB";

    private static final Pattern NOTATION = Pattern.compile("(\\d{1,15})(B|KiB|MiB|GiB|TiB)?");
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private DataSizes() {
    }

    /** Parses a size in config notation, throwing {@link IllegalArgumentException} when it is not one. */
    public static DataSize parse(String text) {
        Matcher matcher = NOTATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int shift = 10 * indexOf(unit);
        if (shift > 0 && amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ", below 8EiB)");
        }
        return DataSize.ofBytes(amount << shift);
    }

    /** Writes a size in the largest binary unit that holds it exactly, so that {@code parse(format(s))} is {@code s}. */
    public static String format(DataSize size) {
        long bytes = size.bytes();
        int unit = 0;
        while (bytes != 0 && unit < UNITS.length - 1 && bytes % 1024 == 0) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? Long.toString(bytes) : bytes + UNITS[unit];
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }
}
