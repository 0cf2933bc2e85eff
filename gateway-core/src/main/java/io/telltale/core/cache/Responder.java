package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.List;

/** Builds the response to one request from a stored response: full, HEAD, 304, 206 or 416, without copying the body. */
final class Responder {
    /** The fields a 304 carries from the stored response (RFC 9110 §15.4.5). */
    private static final AsciiString[] NOT_MODIFIED_FIELDS = {
        HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.CONTENT_LOCATION, HttpHeaderNames.DATE, HttpHeaderNames.ETAG,
        HttpHeaderNames.EXPIRES, HttpHeaderNames.VARY, HttpHeaderNames.LAST_MODIFIED,
    };

    private Responder() {
    }

    /**
     * Answers a request from a stored response with the hit's Cache-Status, or with {@code status} when
     * given; returns null when the store dropped the response in the meantime.
     */
    static CacheResponse respond(StoredResponse stored, boolean head, HttpHeaders request, long now, CacheStatus status) {
        if (!stored.tryAcquire()) {
            return null;
        }
        try {
            StoredResponse.AgeMemo memo = stored.ageMemo(now);
            CacheStatus cacheStatus = status != null ? status : memo.hit();
            int code = stored.status.code();
            if (code >= 400) {
                cacheStatus = cacheStatus.asError();
            }
            if (code >= 200 && code < 300 && isConditional(request) && Conditionals.notModified(request, stored, now)) {
                return notModified(stored, memo, cacheStatus);
            }
            if (!head && code == 200 && request.contains(HttpHeaderNames.RANGE) && Conditionals.ifRangeMatches(request, stored, now)) {
                long[] range = Conditionals.byteRange(request.get(HttpHeaderNames.RANGE), stored.bodyLength());
                if (range == Conditionals.UNSATISFIABLE) {
                    return unsatisfiable(stored, memo, cacheStatus);
                }
                if (range != Conditionals.FULL) {
                    return partial(stored, memo, cacheStatus, range[0], range[1]);
                }
            }
            if (stored.disk() != null && !head) {
                StoredFile file = stored.disk().open(0, stored.bodyLength());
                return file == null ? null : CacheResponse.fullHit(stored, memo.ageText(), Unpooled.EMPTY_BUFFER, file, cacheStatus);
            }
            ByteBuf body = head ? Unpooled.EMPTY_BUFFER : stored.retainedBody();
            return CacheResponse.fullHit(stored, memo.ageText(), body, null, cacheStatus);
        } finally {
            stored.release();
        }
    }

    private static boolean isConditional(HttpHeaders request) {
        return request.contains(HttpHeaderNames.IF_NONE_MATCH) || request.contains(HttpHeaderNames.IF_MODIFIED_SINCE);
    }

    private static CacheResponse notModified(StoredResponse stored, StoredResponse.AgeMemo memo, CacheStatus cacheStatus) {
        HttpHeaders headers = Headers.newHeaders();
        HttpHeaders storedFields = stored.headers();
        for (AsciiString name : NOT_MODIFIED_FIELDS) {
            List<String> values = storedFields.getAll(name);
            if (!values.isEmpty()) {
                headers.add(name, values);
            }
        }
        headers.set(HttpHeaderNames.AGE, memo.ageText());
        cacheStatus.addTo(headers);
        return new CacheResponse(HttpResponseStatus.NOT_MODIFIED, headers, Unpooled.EMPTY_BUFFER, null, cacheStatus);
    }

    private static CacheResponse partial(StoredResponse stored, StoredResponse.AgeMemo memo, CacheStatus cacheStatus,
                                         long first, long last) {
        long length = stored.bodyLength();
        HttpHeaders headers = stored.headers();
        headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + '-' + last + '/' + length);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, last - first + 1);
        headers.set(HttpHeaderNames.AGE, memo.ageText());
        cacheStatus.addTo(headers);
        if (stored.disk() != null) {
            StoredFile file = stored.disk().open(first, last - first + 1);
            return file == null ? null
                    : new CacheResponse(HttpResponseStatus.PARTIAL_CONTENT, headers, Unpooled.EMPTY_BUFFER, file, cacheStatus);
        }
        ByteBuf slice = stored.retainedBody((int) first, (int) (last - first + 1));
        return new CacheResponse(HttpResponseStatus.PARTIAL_CONTENT, headers, slice, null, cacheStatus);
    }

    private static CacheResponse unsatisfiable(StoredResponse stored, StoredResponse.AgeMemo memo, CacheStatus cacheStatus) {
        HttpHeaders headers = Headers.newHeaders();
        headers.set(HttpHeaderNames.DATE, stored.field(HttpHeaderNames.DATE));
        headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + stored.bodyLength());
        headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        headers.set(HttpHeaderNames.AGE, memo.ageText());
        cacheStatus.addTo(headers);
        return new CacheResponse(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers, Unpooled.EMPTY_BUFFER, null, cacheStatus);
    }
}
