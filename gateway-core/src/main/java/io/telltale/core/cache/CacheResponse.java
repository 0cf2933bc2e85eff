package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A response the cache answers with: status, headers (with Age, X-Cache and Cache-Status set) and a
 * body that shares the stored buffer. The caller owns the body: write it or {@link #release()} it.
 */
public final class CacheResponse {
    private final HttpResponseStatus status;
    private ByteBuf body;
    private StoredFile file;
    private final CacheStatus cacheStatus;
    private final String age;
    private HttpHeaders headers;
    private ByteBuf encodedHead;

    CacheResponse(HttpResponseStatus status, HttpHeaders headers, ByteBuf body, StoredFile file, CacheStatus cacheStatus) {
        this(status, headers, null, null, body, file, cacheStatus);
    }

    private CacheResponse(HttpResponseStatus status, HttpHeaders headers, String age, ByteBuf encodedHead, ByteBuf body,
                          StoredFile file, CacheStatus cacheStatus) {
        this.status = status;
        this.file = file;
        this.headers = headers;
        this.age = age;
        this.encodedHead = encodedHead;
        this.body = body;
        this.cacheStatus = cacheStatus;
    }

    /**
     * Returns a full hit: the stored status and fields, whose encoded form it carries (a retained view) so
     * that the response can be written without encoding them again.
     */
    static CacheResponse fullHit(StoredResponse stored, String age, ByteBuf body, StoredFile file,
                                 CacheStatus cacheStatus) {
        return new CacheResponse(stored.status, null, age, stored.retainedHead(), body, file, cacheStatus);
    }

    /** Returns the status: the stored one, or 206, 304 or 416 for conditional and range requests. */
    public HttpResponseStatus status() {
        return status;
    }

    /** Returns this response's own headers, free to change; not after {@link #takeEncodedHead()} took the head. */
    public HttpHeaders headers() {
        if (headers == null) {
            if (encodedHead == null) {
                throw new IllegalStateException("headers: taken (expected: asked for before takeEncodedHead)");
            }
            headers = EncodedHead.parse(encodedHead, true, Headers.newHeaders());
            headers.set(HttpHeaderNames.AGE, age);
            cacheStatus.addTo(headers);
        }
        return headers;
    }

    /**
     * Takes the status line and stored fields of a full hit as encoded bytes, without the fields of this hit
     * ({@link #age()} and the cache status) and the blank line; null when the response is not a full hit or
     * its headers were asked for. The caller owns the buffer.
     */
    public ByteBuf takeEncodedHead() {
        if (headers != null) {
            return null;
        }
        ByteBuf taken = encodedHead;
        encodedHead = null;
        return taken;
    }

    /** Returns the Age field's value of a full hit, or null. */
    public String age() {
        return age;
    }

    /** Returns the body: a retained duplicate or slice of the stored buffer, empty for HEAD, 304 and 416. */
    public ByteBuf body() {
        return body;
    }

    /**
     * Takes the body when it is a part of an object file on disk, to send without copying it (a file region, or
     * chunked reads under TLS); null when the body is {@link #body()}. The caller owns it.
     */
    public StoredFile takeFile() {
        StoredFile taken = file;
        file = null;
        return taken;
    }

    /** Returns the body's length: of the file part or of the buffer. */
    public long bodyLength() {
        return file != null ? file.count() : body.readableBytes();
    }

    /** Returns what the cache did, as already set in the headers. */
    public CacheStatus cacheStatus() {
        return cacheStatus;
    }

    /** Returns a full HTTP response that takes over the body, ready to write. */
    public FullHttpResponse toHttpResponse(HttpVersion version) {
        HttpHeaders fields = headers();
        releaseEncodedHead();
        return new DefaultFullHttpResponse(version, status, body, fields, EmptyHttpHeaders.INSTANCE);
    }

    /** Releases the body when the response is not written. */
    public void release() {
        body.release();
        if (file != null) {
            file.close();
            file = null;
        }
        releaseEncodedHead();
    }

    private void releaseEncodedHead() {
        if (encodedHead != null) {
            encodedHead.release();
            encodedHead = null;
        }
    }
}
