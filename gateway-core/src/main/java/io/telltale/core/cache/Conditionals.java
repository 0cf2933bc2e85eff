package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** Evaluates a client's conditional and range headers against a stored response (RFC 9110 §13, §14). */
final class Conditionals {
    /** A range that could not be read or that asks for several parts: the full response is served. */
    static final long[] FULL = new long[0];
    /** A range that lies outside the body: 416. */
    static final long[] UNSATISFIABLE = new long[0];

    private Conditionals() {
    }

    /**
     * Returns whether the request's If-None-Match, or else If-Modified-Since, lets the cache answer 304; an
     * If-Modified-Since that is not one valid HTTP date is ignored (RFC 9110 §13.1.3).
     */
    static boolean notModified(HttpHeaders request, StoredResponse stored, long now) {
        String noneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (noneMatch != null) {
            if (noneMatch.trim().equals("*")) {
                return true;
            }
            String etag = stored.etag();
            return etag != null && anyTagMatches(noneMatch, etag, false);
        }
        long since = HttpDate.field(request, HttpHeaderNames.IF_MODIFIED_SINCE, now);
        // RFC 9111 §4.3.2: without Last-Modified, the Date the origin sent stands in for it.
        long modified = stored.lastModifiedMillis != HttpDate.INVALID ? stored.lastModifiedMillis : stored.dateMillis;
        return since != HttpDate.INVALID && modified <= since;
    }

    /** Returns whether an If-Range, if present, still matches the stored response, so the range applies. */
    static boolean ifRangeMatches(HttpHeaders request, StoredResponse stored, long now) {
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            String etag = stored.etag();
            return etag != null && anyTagMatches(value, etag, true);
        }
        long date = HttpDate.parse(value, now);
        return date != HttpDate.INVALID && date == stored.lastModifiedMillis;
    }

    /**
     * Reads a single byte range against a body of {@code length} bytes: returns {first, last}, or
     * {@link #UNSATISFIABLE}, or {@link #FULL} for a header that is invalid or asks for several ranges.
     */
    static long[] byteRange(String header, long length) {
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
            return FULL;
        }
        int dash = value.indexOf('-', 6);
        if (dash < 0) {
            return FULL;
        }
        String firstText = value.substring(6, dash).trim();
        String lastText = value.substring(dash + 1).trim();
        if (firstText.isEmpty()) {
            long suffix = CacheControl.parseDigits(lastText);
            if (suffix == CacheControl.ABSENT) {
                return FULL;
            }
            return suffix == 0 || length == 0 ? UNSATISFIABLE : new long[] {Math.max(0, length - suffix), length - 1};
        }
        long first = CacheControl.parseDigits(firstText);
        long last = lastText.isEmpty() ? length - 1 : CacheControl.parseDigits(lastText);
        if (first == CacheControl.ABSENT || last == CacheControl.ABSENT || !lastText.isEmpty() && last < first) {
            return FULL;
        }
        if (first >= length) {
            return UNSATISFIABLE;
        }
        return new long[] {first, Math.min(last, length - 1)};
    }

    /** Compares a list of entity tags with the stored one, weakly or strongly (RFC 9110 §8.8.3.2). */
    private static boolean anyTagMatches(String list, String stored, boolean strong) {
        if (strong && stored.startsWith("W/")) {
            return false;
        }
        String storedOpaque = opaque(stored);
        int start = 0;
        while (start < list.length()) {
            int end = CacheControl.elementEnd(list, start);
            String tag = list.substring(start, end).trim();
            if (!(strong && tag.startsWith("W/")) && opaque(tag).equals(storedOpaque)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
