package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The times a stored response is judged by, in epoch milliseconds, computed once when it is stored (RFC 9111
 * §4.2) and kept with it on disk.
 *
 * @param requestTime when the request that fetched it left
 * @param responseTime when the response arrived
 * @param dateMillis the response's Date
 * @param correctedInitialAge its corrected initial age (§4.2.3), the origin's Age included
 * @param lastModifiedMillis its Last-Modified, or {@link HttpDate#INVALID}
 * @param freshUntil when it turns stale
 * @param staleWhileRevalidateUntil until when it may be served stale while revalidated in the background
 * @param staleIfErrorUntil until when it may be served stale instead of an origin error
 * @param staleIfUnreachableUntil until when it may be served stale while the origin cannot be reached
 * @param keepUntil when the cache lets it go
 */
record StoredTimes(
        long requestTime,
        long responseTime,
        long dateMillis,
        long correctedInitialAge,
        long lastModifiedMillis,
        long freshUntil,
        long staleWhileRevalidateUntil,
        long staleIfErrorUntil,
        long staleIfUnreachableUntil,
        long keepUntil) {

    /** Computes the times of a response with these directives and stored fields under the site's policy. */
    static StoredTimes of(int status, CacheControl cacheControl, HttpHeaders headers, long requestTime,
                          long responseTime, long originAgeSeconds, SitePolicy site) {
        long dateMillis = HttpDate.field(headers, HttpHeaderNames.DATE, responseTime);
        long correctedInitialAge = CachePolicy.correctedInitialAgeMillis(requestTime, responseTime, dateMillis,
                originAgeSeconds);
        long lifetime = Math.max(0, CachePolicy.lifetimeMillis(status, cacheControl, headers, dateMillis, site));
        long freshUntil = responseTime + lifetime - correctedInitialAge;
        boolean staleAllowed = !cacheControl.forbidsStale();
        // s-maxage implies proxy-revalidate: only the response's own windows may relax it, never the site's.
        boolean siteWindows = staleAllowed && !cacheControl.onlyExplicitStaleWindows();
        long swr = staleAllowed ? Math.max(0, cacheControl.staleWhileRevalidate) * 1000 : 0;
        long sie = staleAllowed ? Math.max(0, cacheControl.staleIfError) * 1000 : 0;
        long onError = Math.max(sie, siteWindows ? site.serveStaleOnErrorMillis() : 0);
        long unreachable = Math.max(onError, siteWindows ? site.staleIfUnreachableMillis() : 0);
        boolean validator = headers.contains(HttpHeaderNames.ETAG) || headers.contains(HttpHeaderNames.LAST_MODIFIED);
        long grace = validator ? StoredResponse.VALIDATION_GRACE_MILLIS : 0;
        // The grace runs from arrival at the earliest: a response stale on arrival is still kept to be revalidated.
        long keepUntil = Math.max(freshUntil + Math.max(swr, unreachable), Math.max(freshUntil, responseTime) + grace);
        return new StoredTimes(requestTime, responseTime, dateMillis, correctedInitialAge,
                HttpDate.field(headers, HttpHeaderNames.LAST_MODIFIED, responseTime), freshUntil, freshUntil + swr,
                freshUntil + onError, freshUntil + unreachable, keepUntil);
    }
}
