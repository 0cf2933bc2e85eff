package io.telltale.core.profile;

/**
 * One header a CDN adds toward the origin, and how its value is made.
 *
 * @param name the header's name as the CDN documents it
 * @param value how the value is made
 * @param literal the value itself for {@link Value#LITERAL}; for {@link Value#SYNTHETIC_ID} the format, in which
 *     {@code %s} stands for a hexadecimal id made from the request's own id
 * @param append whether the value is added beside any the request already carries (a list header such as
 *     {@code CDN-Loop}) rather than replacing them
 */
public record AddedHeader(String name, Value value, String literal, boolean append) {

    /** How an added header's value is made. */
    public enum Value {
        /** A fixed value, as the CDN documents it. */
        LITERAL,
        /** The visitor's address, as the gateway sees it. */
        VISITOR_ADDRESS,
        /** Cloudflare's {@code {"scheme":"https"}} naming the visitor's scheme. */
        VISITOR_SCHEME_JSON,
        /** The scheme the CDN uses toward the origin. */
        ORIGIN_SCHEME,
        /**
         * A per-request identifier in the CDN's shape, made from the gateway's own request id and marked as the
         * gateway's, so that no origin mistakes it for one the real CDN issued.
         */
        SYNTHETIC_ID,
        /**
         * A fixed list of content codings, set only where the visitor already accepts every one of them: the CDN
         * re-encodes for a visitor that accepts less, the gateway does not, so it must not ask the origin for a
         * coding the visitor cannot read.
         */
        CODINGS_IF_ACCEPTED
    }

    /** Returns a header set to a fixed value, replacing any the request carries. */
    static AddedHeader literal(String name, String value) {
        return new AddedHeader(name, Value.LITERAL, value, false);
    }

    /** Returns a header whose value is made per request, replacing any the request carries. */
    static AddedHeader made(String name, Value value) {
        return new AddedHeader(name, value, null, false);
    }

    /** Returns a synthetic identifier header in the given format. */
    static AddedHeader syntheticId(String name, String format) {
        return new AddedHeader(name, Value.SYNTHETIC_ID, format, false);
    }

    /** Returns a list of content codings set where the visitor accepts each of them. */
    static AddedHeader codingsIfAccepted(String name, String codings) {
        return new AddedHeader(name, Value.CODINGS_IF_ACCEPTED, codings, false);
    }

    /** Returns a fixed value added beside those the request carries. */
    static AddedHeader appended(String name, String value) {
        return new AddedHeader(name, Value.LITERAL, value, true);
    }
}
