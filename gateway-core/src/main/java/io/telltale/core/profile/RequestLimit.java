package io.telltale.core.profile;

/**
 * One limit a CDN puts on a visitor's request before it contacts the origin.
 *
 * @param measure what is measured
 * @param max the most the CDN accepts; more is refused
 * @param source where the limit is documented, with its confidence
 */
public record RequestLimit(Measure measure, int max, String source) {

    /** What a request limit measures. */
    public enum Measure {
        /** The request target (path and query), in bytes. */
        URI,
        /** The request line and every header line, each with its line end, in bytes. */
        HEAD,
        /** Every header line, each with its line end, in bytes. */
        HEADERS,
        /** One header line ({@code name: value}), in bytes. */
        FIELD,
        /** The number of header fields. */
        FIELDS
    }
}
