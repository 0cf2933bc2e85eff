package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telltale.core.config.CacheConfig;
import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A cache on fake time with the site config tests start from, and helpers to feed and read it. */
final class CacheFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

    final FakeTime time = new FakeTime(START);
    final EdgeCache cache;

    CacheFixture() {
        this(DataSize.ofMiB(64));
    }

    CacheFixture(DataSize maxSize) {
        cache = new EdgeCache(new CacheConfig(maxSize), time, time, Runnable::run, PooledByteBufAllocator.DEFAULT);
    }

    static SiteCacheConfig config() {
        return new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO, Duration.ofDays(365), Duration.ofSeconds(10),
                DataSize.ofMiB(8), null, List.of(), Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60),
                "Telltale-Cache-Control", true, false);
    }

    SiteCache site() {
        return cache.site("shop", config());
    }

    /** Returns request or response headers from name, value pairs. */
    static HttpHeaders headers(String... nameValues) {
        HttpHeaders headers = Headers.newHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    String now() {
        return HttpDate.format(time.millis());
    }

    static CacheLookup get(SiteCache site, String uri, String... requestHeaders) {
        return site.lookup(HttpMethod.GET, "https", "shop.example", uri, headers(requestHeaders));
    }

    /** Runs a miss through a fill with a response of this status, body and headers; returns whether it was stored. */
    static boolean fill(SiteCache site, CacheLookup lookup, int status, String body, String... responseHeaders) {
        CacheFill fill = site.tryFill(lookup);
        boolean storing = fill.head(HttpResponseStatus.valueOf(status), headers(responseHeaders));
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(body.getBytes(StandardCharsets.UTF_8));
        try {
            fill.content(chunk);
        } finally {
            chunk.release();
        }
        fill.complete();
        return storing;
    }

    /** Looks up and fills a URI in one go. */
    static boolean store(SiteCache site, String uri, int status, String body, String... responseHeaders) {
        return fill(site, get(site, uri), status, body, responseHeaders);
    }

    /** Serves a lookup and returns the response's body as text, releasing it. */
    static String bodyOf(CacheResponse response) {
        try {
            return response.body().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
