package io.telltale.core.origin;

import io.netty.handler.codec.http.HttpObject;

/** Receives what an origin connection delivers during one exchange, on the connection's event loop. */
public interface OriginExchangeListener {
    /** Takes one response object; the listener owns it and must release it. */
    void onResponseObject(HttpObject message);

    /** Reports that the exchange failed: the connection closed, a read failed or the response timed out. */
    void onOriginFailure(Throwable cause);

    /** Reports that a read cycle ended: what it delivered may now be flushed on together. */
    default void onReadComplete() {
    }
}
