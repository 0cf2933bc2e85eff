package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cache directives of one request or response (RFC 9111 §5.2, RFC 5861), parsed once, from Cache-Control
 * or from a targeted field (RFC 9213).
 *
 * <p>Qualified {@code no-cache="field"} and {@code private="field"} are read as their unqualified
 * forms, which RFC 9111 allows a shared cache to do. Seconds are saturated at 2^31 and an invalid
 * value of {@code max-age} or {@code s-maxage} counts as 0, so that the response is stale.
 */
final class CacheControl {
    /** The value of a directive that was not given. */
    static final long ABSENT = -1;
    static final CacheControl NONE = new CacheControl();

    private static final long MAX_SECONDS = 2147483648L;

    boolean noStore;
    boolean noCache;
    boolean isPrivate;
    boolean isPublic;
    boolean mustRevalidate;
    boolean proxyRevalidate;
    boolean onlyIfCached;
    boolean mustUnderstand;
    long maxAge = ABSENT;
    long sMaxAge = ABSENT;
    long maxStale = ABSENT;
    long minFresh = ABSENT;
    long staleWhileRevalidate = ABSENT;
    long staleIfError = ABSENT;
    /** Whether the directives came from a targeted field, which makes Expires ignored too (RFC 9213 §2.2). */
    boolean targeted;

    private CacheControl() {
    }

    /**
     * Reads the directives of a targeted field's Dictionary (RFC 9213 §2.1). Restrictive directives count
     * whatever their value, so that a malformed one errs on the safe side; delta-seconds must be non-negative
     * Integers, and any other value of {@code max-age} or {@code s-maxage} makes the response stale.
     */
    static CacheControl ofTargeted(Map<String, Object> members) {
        CacheControl cc = new CacheControl();
        cc.targeted = true;
        for (Map.Entry<String, Object> member : members.entrySet()) {
            Object value = member.getValue();
            switch (member.getKey()) {
                case "no-store" -> cc.noStore = true;
                case "no-cache" -> cc.noCache = true;
                case "private" -> cc.isPrivate = true;
                case "must-revalidate" -> cc.mustRevalidate = true;
                case "proxy-revalidate" -> cc.proxyRevalidate = true;
                case "public" -> cc.isPublic = Boolean.TRUE.equals(value);
                case "max-age" -> cc.maxAge = Math.max(0, seconds(value));
                case "s-maxage" -> cc.sMaxAge = Math.max(0, seconds(value));
                case "stale-while-revalidate" -> cc.staleWhileRevalidate = seconds(value);
                case "stale-if-error" -> cc.staleIfError = seconds(value);
                default -> {
                    // Unknown directives are ignored (RFC 9213 §2.2, RFC 9111 §5.2.3).
                }
            }
        }
        return cc;
    }

    private static long seconds(Object value) {
        return value instanceof Long n && n >= 0 ? Math.min(MAX_SECONDS, n) : ABSENT;
    }

    /** Parses every Cache-Control field line in these headers, or returns {@link #NONE} when there is none. */
    static CacheControl of(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CACHE_CONTROL)) {
            return NONE;
        }
        List<String> lines = headers.getAll(HttpHeaderNames.CACHE_CONTROL);
        CacheControl cc = new CacheControl();
        for (int i = 0; i < lines.size(); i++) {
            cc.parseLine(lines.get(i));
        }
        return cc;
    }

    /** Returns whether the response gave its freshness explicitly. */
    boolean hasExplicitLifetime() {
        return maxAge != ABSENT || sMaxAge != ABSENT;
    }

    /** Returns whether the response forbids serving it stale, whatever the stale windows say. */
    boolean forbidsStale() {
        return noCache || mustRevalidate || proxyRevalidate;
    }

    /**
     * Returns whether only the response's own stale windows may apply: {@code s-maxage} implies
     * {@code proxy-revalidate} (RFC 9111 §5.2.2.10), which its explicit RFC 5861 windows still relax.
     */
    boolean onlyExplicitStaleWindows() {
        return sMaxAge != ABSENT;
    }

    private void parseLine(String line) {
        int length = line.length();
        int start = 0;
        while (start < length) {
            int end = elementEnd(line, start);
            parseDirective(line, start, end);
            start = end + 1;
        }
    }

    /** Returns the index of the comma that ends the list element starting here, skipping quoted commas. */
    static int elementEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return line.length();
    }

    private void parseDirective(String line, int start, int end) {
        int eq = line.indexOf('=', start);
        int nameEnd = eq < 0 || eq > end ? end : eq;
        String name = line.substring(start, nameEnd).trim().toLowerCase(Locale.ROOT);
        String value = nameEnd == end ? null : unquote(line.substring(nameEnd + 1, end).trim());
        switch (name) {
            case "no-store" -> noStore = true;
            case "no-cache" -> noCache = true;
            case "private" -> isPrivate = true;
            case "public" -> isPublic = true;
            case "must-revalidate" -> mustRevalidate = true;
            case "proxy-revalidate" -> proxyRevalidate = true;
            case "only-if-cached" -> onlyIfCached = true;
            case "must-understand" -> mustUnderstand = true;
            case "max-age" -> maxAge = secondsOrZero(value);
            case "s-maxage" -> sMaxAge = secondsOrZero(value);
            case "max-stale" -> maxStale = value == null ? Long.MAX_VALUE : parseDigits(value);
            case "min-fresh" -> minFresh = parseDigits(value);
            case "stale-while-revalidate" -> staleWhileRevalidate = parseDigits(value);
            case "stale-if-error" -> staleIfError = parseDigits(value);
            default -> {
                // Unknown directives are ignored (RFC 9111 §5.2.3).
            }
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static long secondsOrZero(String value) {
        long seconds = parseDigits(value);
        return seconds == ABSENT ? 0 : seconds;
    }

    /** Parses a non-negative decimal (delta-seconds, lengths) without exceptions, saturated at 2^31 (RFC 9111 §1.2.2). */
    static long parseDigits(String value) {
        if (value == null || value.isEmpty()) {
            return ABSENT;
        }
        long seconds = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return ABSENT;
            }
            seconds = Math.min(MAX_SECONDS, seconds * 10 + (c - '0'));
        }
        return seconds;
    }
}
