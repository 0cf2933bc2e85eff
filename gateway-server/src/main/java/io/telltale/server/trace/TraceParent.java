package io.telltale.server.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An exchange's place in a W3C trace (Trace Context, level 1): the trace it belongs to, its own span, which is the
 * parent the origin sees, and the client's span it continues, if any.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId this exchange's span: 16 lower-case hex digits, not all zero
 * @param parentSpanId the client's span this exchange continues, or null when it started the trace
 * @param flags the trace flags as two hex digits ({@code 01}: sampled)
 */
public record TraceParent(String traceId, String spanId, String parentSpanId, String flags) {
    /** The request header that carries the trace context. */
    public static final String HEADER = "traceparent";
    /** The request header with vendors' trace state, passed on only with the trace it belongs to. */
    public static final String STATE_HEADER = "tracestate";

    private static final String INVALID_TRACE = "00000000000000000000000000000000";
    private static final String INVALID_SPAN = "0000000000000000";

    /**
     * Continues the client's {@code traceparent} when it is valid, with a new span of this exchange as the parent
     * of the origin's work; otherwise starts a trace, sampled.
     *
     * @param header the client's {@code traceparent}, or null
     */
    public static TraceParent continueOrStart(String header) {
        if (header != null && isValid(header)) {
            return new TraceParent(header.substring(3, 35), newSpanId(), header.substring(36, 52),
                    header.substring(53, 55));
        }
        // The low half is never zero, so neither is the whole id.
        String traceId = hex(ThreadLocalRandom.current().nextLong()) + newSpanId();
        return new TraceParent(traceId, newSpanId(), null, "01");
    }

    /** Returns whether the trace was continued from the client rather than started here. */
    public boolean continued() {
        return parentSpanId != null;
    }

    /** Returns the {@code traceparent} value to send to the origin: this trace, with this exchange's span. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /**
     * Returns whether a header is a valid version-00 {@code traceparent}, or a later version whose first four fields
     * read as version 00's (the spec's rule for versions this gateway does not know).
     */
    static boolean isValid(String header) {
        if (header.length() < 55 || header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
            return false;
        }
        String version = header.substring(0, 2);
        if (!isLowerHex(version) || version.equals("ff") || (version.equals("00") && header.length() != 55)
                || (!version.equals("00") && header.length() > 55 && header.charAt(55) != '-')) {
            return false;
        }
        String traceId = header.substring(3, 35);
        String parentId = header.substring(36, 52);
        return isLowerHex(traceId) && !traceId.equals(INVALID_TRACE) && isLowerHex(parentId)
                && !parentId.equals(INVALID_SPAN) && isLowerHex(header.substring(53, 55));
    }

    private static String newSpanId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return hex(id);
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
