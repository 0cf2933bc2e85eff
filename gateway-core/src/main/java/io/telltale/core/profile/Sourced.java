package io.telltale.core.profile;

/**
 * One vendor value and where it comes from.
 *
 * @param value the value, or null when the vendor documents none (unknown)
 * @param source the documentation it was read in (a key of {@code docs/preflight.md}'s source list and the
 *     confidence: P primary, I inferred, F field report), or why it is unknown
 */
public record Sourced<T>(T value, String source) {

    /** Returns a value read in a source. */
    public static <T> Sourced<T> of(T value, String source) {
        return new Sourced<>(value, source);
    }

    /** Returns a value the vendor does not document, with where it was searched for. */
    public static <T> Sourced<T> unknown(String searched) {
        return new Sourced<>(null, "unknown: " + searched);
    }

    /** Returns whether the vendor documents this value. */
    public boolean known() {
        return value != null;
    }
}
