package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/** What an origin's response head tells its origin group: the origin's health, and when it asks to be left alone. */
final class OriginHealth {
    private OriginHealth() {
    }

    /** Tells the site's origin group how the exchange's current origin answered. */
    static void heard(ProxyExchange e, HttpResponse response, int code, Gateway gateway) {
        if (code >= 500) {
            e.site.group().failed(e.originIndex, gateway.nanoClock().getAsLong());
        } else {
            e.site.group().succeeded(e.originIndex);
        }
        if (code == 503 && e.site.group().configured()) {
            e.site.group().retryAfter(e.originIndex, response.headers().get(HttpHeaderNames.RETRY_AFTER),
                    gateway.nanoClock().getAsLong(), gateway.epochClock().getAsLong());
        }
    }
}
