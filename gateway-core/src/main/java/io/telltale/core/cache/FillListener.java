package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Receives another request's origin response for a collapsed miss, on the subscriber's own executor,
 * in order: {@code onHead}, {@code onContent}..., then {@code onComplete} or {@code onAbort}; or, for a body
 * that streams to disk, {@code onFile} in place of the rest.
 */
public interface FillListener {
    /**
     * Receives the response head: the origin's end-to-end headers (a copy of the subscriber's own, with
     * X-Cache and Cache-Status set; Content-Length kept when the origin sent one).
     */
    void onHead(HttpResponseStatus status, HttpHeaders headers);

    /** Receives a piece of the body: a retained duplicate the listener must write or release. */
    void onContent(ByteBuf content);

    /**
     * Receives the rest of the body, from byte {@code position} on, as the object file the fill streams into: the
     * listener reads it at its own pace ({@link FillBody#read}, {@link FillBody#await}), holds one reference it
     * must release, and ends the response itself once it read {@link FillBody#length()} bytes ({@code onComplete}
     * does not follow; {@code onAbort} may, and a {@link FillBody#broken()} body means the same).
     */
    void onFile(FillBody body, long position);

    /** Signals that the whole body was delivered. */
    void onComplete();

    /** Signals that this subscription ends without a complete response, and says what to do instead. */
    void onAbort(FillAbort abort);
}
