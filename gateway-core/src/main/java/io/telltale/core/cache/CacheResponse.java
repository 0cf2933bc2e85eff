package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A response the cache answers with: status, headers (with Age, X-Cache and Cache-Status set) and a
 * body that shares the stored buffer. The caller owns the body: write it or {@link #release()} it.
 */
public final class CacheResponse {
    private final HttpResponseStatus status;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final CacheStatus cacheStatus;

    CacheResponse(HttpResponseStatus status, HttpHeaders headers, ByteBuf body, CacheStatus cacheStatus) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.cacheStatus = cacheStatus;
    }

    /** Returns the status: the stored one, or 206, 304 or 416 for conditional and range requests. */
    public HttpResponseStatus status() {
        return status;
    }

    /** Returns this response's own headers, free to change. */
    public HttpHeaders headers() {
        return headers;
    }

    /** Returns the body: a retained duplicate or slice of the stored buffer, empty for HEAD, 304 and 416. */
    public ByteBuf body() {
        return body;
    }

    /** Returns what the cache did, as already set in the headers. */
    public CacheStatus cacheStatus() {
        return cacheStatus;
    }

    /** Returns a full HTTP response that takes over the body, ready to write. */
    public FullHttpResponse toHttpResponse(HttpVersion version) {
        return new DefaultFullHttpResponse(version, status, body, headers, EmptyHttpHeaders.INSTANCE);
    }

    /** Releases the body when the response is not written. */
    public void release() {
        body.release();
    }
}
