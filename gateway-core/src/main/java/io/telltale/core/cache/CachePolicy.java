package io.telltale.core.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/**
 * RFC 9111 shared-cache rules as pure functions over headers and times in epoch milliseconds:
 * storability (§3), freshness lifetime (§4.2.1, heuristics §4.2.2) with the site's TTL bounds,
 * and age (§4.2.3).
 */
final class CachePolicy {
    /** The value of a time or lifetime that a response does not give. */
    static final long NONE = -1;
    /** The cap on heuristic freshness, as most caches apply it. */
    static final long HEURISTIC_CAP_MILLIS = 24L * 3600 * 1000;

    private CachePolicy() {
    }

    /** Returns whether RFC 9110 §15.1 makes this status heuristically cacheable. */
    static boolean cacheableByDefault(int status) {
        return switch (status) {
            case 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501 -> true;
            default -> false;
        };
    }

    /** Returns whether an error of this status is kept for the site's {@code errorTtl}, as CloudFront does. */
    static boolean errorCacheable(int status) {
        return switch (status) {
            case 400, 403, 404, 405, 410, 414, 416, 500, 501, 502, 503, 504 -> true;
            default -> false;
        };
    }

    /** Returns whether the origin's answer with this status lets a stale copy be served instead (RFC 5861 §4). */
    static boolean staleIfErrorStatus(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Decides whether a response to a GET may be stored by a shared cache (RFC 9111 §3). */
    static Verdict storability(int status, boolean requestAuthorized, CacheControl request, CacheControl response,
                               HttpHeaders headers, long dateMillis, SitePolicy site) {
        if (!site.enabled()) {
            return Verdict.DISABLED;
        }
        if (request.noStore || response.noStore) {
            return Verdict.NO_STORE;
        }
        if (response.isPrivate) {
            return Verdict.PRIVATE;
        }
        if (requestAuthorized && !response.isPublic && response.sMaxAge == CacheControl.ABSENT && !response.mustRevalidate) {
            return Verdict.AUTHORIZATION;
        }
        if (headers.contains(HttpHeaderNames.SET_COOKIE)) {
            return Verdict.SET_COOKIE;
        }
        if (VaryNames.isStar(headers)) {
            return Verdict.VARY_STAR;
        }
        if (status == 206) {
            return Verdict.PARTIAL;
        }
        long length = contentLength(headers);
        if (length > site.maxObjectSize()) {
            return Verdict.TOO_LARGE;
        }
        long lifetime = lifetimeMillis(status, response, headers, dateMillis, site);
        if (lifetime == NONE) {
            return status >= 400 ? Verdict.ERROR_NOT_CACHED : Verdict.UNCACHEABLE_STATUS;
        }
        boolean reusable = lifetime > 0 || headers.contains(HttpHeaderNames.ETAG) || headers.contains(HttpHeaderNames.LAST_MODIFIED)
                || response.staleWhileRevalidate > 0 || response.staleIfError > 0 || site.serveStaleOnErrorMillis() > 0;
        return reusable ? Verdict.STORE : Verdict.ZERO_TTL;
    }

    /**
     * Returns the freshness lifetime in milliseconds, or {@link #NONE} when the response may not be stored
     * for lack of one: explicit ({@code s-maxage}, {@code max-age}, {@code Expires}) clamped to the site's
     * min/max TTL; else {@code errorTtl} for errors; else, for heuristically cacheable statuses, 10% of
     * the time since {@code Last-Modified} (at most a day) or the site's {@code defaultTtl}, clamped.
     */
    static long lifetimeMillis(int status, CacheControl cc, HttpHeaders headers, long dateMillis, SitePolicy site) {
        long explicit = explicitLifetimeMillis(cc, headers, dateMillis);
        if (explicit != NONE) {
            return site.clamp(explicit);
        }
        if (status >= 400) {
            return errorCacheable(status) && site.errorTtlMillis() > 0 ? site.errorTtlMillis() : NONE;
        }
        if (!cacheableByDefault(status)) {
            return NONE;
        }
        long heuristic = heuristicLifetimeMillis(headers, dateMillis);
        return site.clamp(heuristic != NONE ? heuristic : site.defaultTtlMillis());
    }

    /** Returns the lifetime the response states (RFC 9111 §4.2.1), or {@link #NONE}. */
    static long explicitLifetimeMillis(CacheControl cc, HttpHeaders headers, long dateMillis) {
        if (cc.sMaxAge != CacheControl.ABSENT) {
            return cc.sMaxAge * 1000;
        }
        if (cc.maxAge != CacheControl.ABSENT) {
            return cc.maxAge * 1000;
        }
        String expires = headers.get(HttpHeaderNames.EXPIRES);
        if (expires == null) {
            return NONE;
        }
        long expiresMillis = httpDate(expires);
        // An invalid Expires, such as "0", means already expired (RFC 9111 §5.3).
        return expiresMillis == NONE ? 0 : Math.max(0, expiresMillis - dateMillis);
    }

    /** Returns 10% of the time between Last-Modified and Date, capped at a day, or {@link #NONE}. */
    static long heuristicLifetimeMillis(HttpHeaders headers, long dateMillis) {
        String lastModified = headers.get(HttpHeaderNames.LAST_MODIFIED);
        long modified = lastModified == null ? NONE : httpDate(lastModified);
        if (modified == NONE || modified > dateMillis) {
            return NONE;
        }
        return Math.min(HEURISTIC_CAP_MILLIS, (dateMillis - modified) / 10);
    }

    /**
     * Returns the corrected initial age in milliseconds (RFC 9111 §4.2.3): the larger of the apparent age
     * ({@code response_time - date_value}) and the {@code Age} header plus the response delay.
     */
    static long correctedInitialAgeMillis(long requestTime, long responseTime, long dateMillis, long ageSeconds) {
        long apparentAge = Math.max(0, responseTime - dateMillis);
        long responseDelay = Math.max(0, responseTime - requestTime);
        long correctedAgeValue = Math.max(0, ageSeconds) * 1000 + responseDelay;
        return Math.max(apparentAge, correctedAgeValue);
    }

    /** Returns the current age ({@code corrected_initial_age + resident_time}) in milliseconds. */
    static long currentAgeMillis(long correctedInitialAge, long responseTime, long now) {
        return correctedInitialAge + Math.max(0, now - responseTime);
    }

    /** Returns the Content-Length, or {@link #NONE} when absent or invalid. */
    static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return value == null ? NONE : CacheControl.parseDigits(value);
    }

    /** Parses an HTTP date into epoch milliseconds, or returns {@link #NONE}. */
    static long httpDate(String value) {
        Date date = DateFormatter.parseHttpDate(value);
        return date == null ? NONE : date.getTime();
    }

    /** Formats epoch milliseconds as an IMF-fixdate. */
    static String httpDate(long millis) {
        return DateFormatter.format(new Date(millis));
    }
}
