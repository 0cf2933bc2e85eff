package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

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

    /**
     * Returns whether this cache implements the caching rules of the status (RFC 9111 §5.2.2.3): the statuses
     * that are cacheable by default, and the redirects and 451 whose semantics RFC 9110 and RFC 7725 define.
     */
    static boolean understood(int status) {
        return cacheableByDefault(status) || switch (status) {
            case 302, 303, 307, 451 -> true;
            default -> false;
        };
    }

    /** Returns whether the origin's answer with this status lets a stale copy be served instead (RFC 5861 §4). */
    static boolean staleIfErrorStatus(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * Decides whether a response to a GET may be stored by a shared cache (RFC 9111 §3); {@code initialAgeMillis}
     * is its corrected initial age, so that a response already stale on arrival counts as such.
     */
    static Verdict storability(int status, boolean requestAuthorized, CacheControl request, CacheControl response,
                               HttpHeaders headers, long dateMillis, long initialAgeMillis, SitePolicy site) {
        if (!site.enabled()) {
            return Verdict.DISABLED;
        }
        // must-understand (RFC 9111 §5.2.2.3) overrides no-store when the status is understood, and forbids
        // storing when it is not.
        boolean responseNoStore = response.mustUnderstand ? !understood(status) : response.noStore;
        if (request.noStore || responseNoStore) {
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
        boolean reusable = lifetime > initialAgeMillis || headers.contains(HttpHeaderNames.ETAG)
                || headers.contains(HttpHeaderNames.LAST_MODIFIED) || response.staleWhileRevalidate > 0
                || response.staleIfError > 0 || site.serveStaleOnErrorMillis() > 0;
        if (lifetime != NONE && reusable) {
            return Verdict.STORE;
        }
        // An error that may not be stored leaves the key open: the next answer may well be storable.
        if (status >= 400) {
            return Verdict.ERROR_NOT_CACHED;
        }
        return lifetime == NONE ? Verdict.UNCACHEABLE_STATUS : Verdict.ZERO_TTL;
    }

    /**
     * Returns the freshness lifetime in milliseconds, or {@link #NONE} when the response may not be stored
     * for lack of one: explicit ({@code s-maxage}, {@code max-age}, {@code Expires}) clamped to the site's
     * min/max TTL; else, for heuristically cacheable statuses (errors such as 404 included) and responses marked
     * {@code public}, 10% of the time
     * since {@code Last-Modified} (at most a day) or the site's {@code defaultTtl}, clamped. Other statuses,
     * such as 403 or 503, have none: the site's {@code errorTtl} is for the gateway's own failures only. A 5xx
     * is kept no longer than its own {@code Retry-After} says the outage lasts.
     */
    static long lifetimeMillis(int status, CacheControl cc, HttpHeaders headers, long dateMillis, SitePolicy site) {
        long lifetime;
        long explicit = explicitLifetimeMillis(cc, headers, dateMillis);
        if (explicit != NONE) {
            lifetime = site.clamp(explicit);
        } else if (!cacheableByDefault(status) && !cc.isPublic) {
            // public marks any status explicitly cacheable, so heuristics apply to it (RFC 9111 §4.2.2).
            return NONE;
        } else {
            long heuristic = heuristicLifetimeMillis(headers, dateMillis);
            lifetime = site.clamp(heuristic != NONE ? heuristic : site.defaultTtlMillis());
        }
        return status >= 500 ? Math.min(lifetime, retryAfterMillis(headers, dateMillis)) : lifetime;
    }

    /**
     * Returns how long a response's {@code Retry-After} (RFC 9110 §10.2.3: delta-seconds or an HTTP date, read
     * against the response's Date) asks clients to wait, or {@link Long#MAX_VALUE} when it gives nothing valid.
     */
    static long retryAfterMillis(HttpHeaders headers, long dateMillis) {
        List<String> values = headers.getAll(HttpHeaderNames.RETRY_AFTER);
        if (values.size() != 1) {
            return Long.MAX_VALUE;
        }
        String value = values.get(0).strip();
        long seconds = CacheControl.parseDigits(value);
        if (seconds != CacheControl.ABSENT) {
            return seconds * 1000;
        }
        long until = HttpDate.parse(value, dateMillis);
        return until == HttpDate.INVALID ? Long.MAX_VALUE : Math.max(0, until - dateMillis);
    }

    /**
     * Returns the lifetime the response states (RFC 9111 §4.2.1), or {@link #NONE}; directives from a targeted
     * field replace Expires as well as Cache-Control (RFC 9213 §2.2).
     */
    static long explicitLifetimeMillis(CacheControl cc, HttpHeaders headers, long dateMillis) {
        if (cc.sMaxAge != CacheControl.ABSENT) {
            return cc.sMaxAge * 1000;
        }
        if (cc.maxAge != CacheControl.ABSENT) {
            return cc.maxAge * 1000;
        }
        if (cc.targeted || !headers.contains(HttpHeaderNames.EXPIRES)) {
            return NONE;
        }
        long expires = HttpDate.field(headers, HttpHeaderNames.EXPIRES, dateMillis);
        // An invalid Expires ("0", another zone, several fields) means already expired (RFC 9111 §5.3).
        return expires == HttpDate.INVALID ? 0 : Math.max(0, expires - dateMillis);
    }

    /** Returns 10% of the time between Last-Modified and Date, capped at a day, or {@link #NONE}. */
    static long heuristicLifetimeMillis(HttpHeaders headers, long dateMillis) {
        long modified = HttpDate.field(headers, HttpHeaderNames.LAST_MODIFIED, dateMillis);
        if (modified == HttpDate.INVALID || modified > dateMillis) {
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

    /**
     * Returns the Age an upstream sent, in seconds (RFC 9111 §5.1): of a list only the first member counts;
     * a first member that is not delta-seconds makes the field ignored (0); a value past 2^31 counts as 2^31
     * (§1.2.2).
     */
    static long ageSeconds(HttpHeaders headers) {
        List<String> lines = headers.getAll(HttpHeaderNames.AGE);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            for (int start = 0; start <= line.length(); ) {
                int end = line.indexOf(',', start);
                end = end < 0 ? line.length() : end;
                String member = line.substring(start, end).strip();
                if (!member.isEmpty()) {
                    return Math.max(0, CacheControl.parseDigits(member));
                }
                // Empty list members are not members at all (RFC 9110 §5.6.1).
                start = end + 1;
            }
        }
        return 0;
    }
}
