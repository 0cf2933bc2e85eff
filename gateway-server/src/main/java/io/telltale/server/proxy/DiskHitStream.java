package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.telltale.core.cache.CacheResponse;
import io.telltale.core.cache.FillAbort;
import io.telltale.core.cache.FillBody;
import io.telltale.core.cache.StoredFile;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;

/**
 * Sends a disk hit to a client protocol that takes a body as messages (HTTP/2): through the relay a follower of a
 * fill streaming to disk uses, in {@link FileRelay}'s pieces read from the object file while the client's stream
 * takes them, so that the object is never read whole into memory and a slow client holds no more than a piece.
 */
final class DiskHitStream implements FillSubscription.Follower {
    private final ExchangeAnswers answers;
    private final Gateway gateway;

    DiskHitStream(ExchangeAnswers answers, Gateway gateway) {
        this.answers = answers;
        this.gateway = gateway;
    }

    /** Sends the stored head, then the file part at the client's pace; the exchange's end lets the file go. */
    void start(ProxyExchange e, CacheResponse stored, StoredFile file) {
        e.cache = ExchangeAnswers.shortCache(stored.cacheStatus().xCache());
        FullHttpResponse whole = stored.toHttpResponse(HttpVersion.HTTP_1_1);
        HttpHeaders headers = whole.headers();
        // Its body is only the empty stand-in for the file part.
        whole.release();
        headers.add(HttpHeaderNames.VIA, answers.via11());
        headers.set(OriginRequests.X_REQUEST_ID, e.facts().requestId());
        FillSubscription subscription = new FillSubscription(e, this);
        e.subscription = subscription;
        subscription.onHead(stored.status(), headers);
        subscription.onFile(FillBody.whole(file), file.position());
    }

    @Override
    public void head(ProxyExchange e, HttpResponseStatus status, HttpHeaders headers) {
        e.advance(ExchangeStage.STREAMING);
        e.status = status.code();
        e.downstream().head(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
    }

    @Override
    public void content(ProxyExchange e, ByteBuf content) {
        e.responseBytes += content.readableBytes();
        e.downstream().content(new DefaultHttpContent(content));
        e.downstream().flush();
    }

    @Override
    public void complete(ProxyExchange e) {
        e.timeline.done(gateway.nanoClock().getAsLong());
        e.advance(ExchangeStage.RESPONDED);
        e.downstream().last(LastHttpContent.EMPTY_LAST_CONTENT, written -> answers.responseWritten(e, written));
    }

    @Override
    public void abort(ProxyExchange e, FillAbort abort) {
        answers.abort(e, Failure.of(FailureCode.GATEWAY_INTERNAL_ERROR,
                "The stored copy could not be read back from the disk tier.", Evidence.empty()));
    }
}
