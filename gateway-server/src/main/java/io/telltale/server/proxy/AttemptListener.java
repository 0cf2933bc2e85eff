package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.telltale.core.failure.Failure;

/** Receives what one origin attempt learns, on the exchange's event loop, for as long as it is current. */
interface AttemptListener {
    /** The connection is ready and the request head written; the request body may follow. */
    void connected(OriginAttempt attempt);

    /** A piece of the request body was written to the origin: the client may send more. */
    void bodyWritten(OriginAttempt attempt);

    /** An interim (1xx) response arrived. */
    void interim(OriginAttempt attempt, HttpResponse interim);

    /** The origin switched protocols (101) as the exchange's upgrade asked: the connection becomes a tunnel. */
    void switched(OriginAttempt attempt, HttpResponse switching);

    /** The final response's head arrived; when it is also {@link HttpContent}, {@link #content} follows. */
    void head(OriginAttempt attempt, HttpResponse head);

    /** A piece of the final response's body arrived; the listener owns it. */
    void content(OriginAttempt attempt, HttpContent content);

    /** A read cycle ended: what it delivered can leave together. */
    void readComplete(OriginAttempt attempt);

    /** The attempt failed; the failure is already classified. */
    void failed(OriginAttempt attempt, Failure failure);
}
