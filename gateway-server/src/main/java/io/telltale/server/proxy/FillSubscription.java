package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telltale.core.cache.FillAbort;
import io.telltale.core.cache.FillBody;
import io.telltale.core.cache.FillListener;

/**
 * An exchange's place on another request's cache fill (a collapsed miss). Once cancelled, what the fill
 * still delivers reaches no one, so a finished exchange cannot be written to.
 */
final class FillSubscription implements FillListener {
    /** What a subscribed exchange does with what the fill delivers. */
    interface Follower {
        /** Takes the response head. */
        void head(ProxyExchange e, HttpResponseStatus status, HttpHeaders headers);

        /** Takes a piece of the body, which it owns. */
        void content(ProxyExchange e, ByteBuf content);

        /** Takes the end of the body. */
        void complete(ProxyExchange e);

        /** Takes the end of the subscription without a complete response. */
        void abort(ProxyExchange e, FillAbort abort);
    }

    private final Follower follower;
    private ProxyExchange exchange;
    private FileRelay relay;

    FillSubscription(ProxyExchange exchange, Follower follower) {
        this.exchange = exchange;
        this.follower = follower;
    }

    /** Stops delivering to the exchange. */
    void cancel() {
        exchange = null;
        if (relay != null) {
            relay.stop();
        }
    }

    /** Sends on from the fill's file once the client took what was written. */
    void clientWritable() {
        if (relay != null && exchange != null) {
            relay.clientWritable();
        }
    }

    @Override
    public void onHead(HttpResponseStatus status, HttpHeaders headers) {
        if (exchange != null) {
            follower.head(exchange, status, headers);
        }
    }

    @Override
    public void onContent(ByteBuf content) {
        if (exchange != null) {
            follower.content(exchange, content);
        } else {
            content.release();
        }
    }

    @Override
    public void onFile(FillBody body, long position) {
        if (exchange == null) {
            body.release();
            return;
        }
        relay = new FileRelay(this, exchange, body, position);
        relay.pump();
    }

    @Override
    public void onComplete() {
        if (exchange != null) {
            follower.complete(exchange);
        }
    }

    @Override
    public void onAbort(FillAbort abort) {
        ProxyExchange e = exchange;
        if (relay != null) {
            relay.stop();
        }
        if (e != null) {
            exchange = null;
            e.subscription = null;
            follower.abort(e, abort);
        }
    }
}
