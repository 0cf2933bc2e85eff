package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.SiteCache;

/**
 * The rule for a range request on an object the cache does not hold (RFC 9110 §14): the client's range goes to the
 * origin as it asked, so its 206 (or 416) does not wait for the whole body, while the whole object is fetched for
 * the cache in the background; later ranges are cut from the stored object. Only with a disk tier, which holds
 * the large objects a range is worth not waiting for: without one, a ranged miss fetches the whole object and
 * answers it whole.
 */
final class ColdRanges {
    private ColdRanges() {
    }

    /**
     * Returns whether a lookup is a miss for one byte range of a GET (several ranges are answered whole, as the
     * cache answers them too).
     */
    static boolean applies(SiteCache cache, CacheLookup lookup, HttpMethod method, String range) {
        return cache.hasDiskTier() && lookup.kind() == CacheLookup.Kind.MISS && HttpMethod.GET.equals(method) && range != null
                && range.regionMatches(true, 0, "bytes=", 0, 6) && range.indexOf(',') < 0;
    }

    /** Returns the client's Range field, or null. */
    static String range(RequestFacts facts) {
        return facts.request().headers().get(HttpHeaderNames.RANGE);
    }
}
