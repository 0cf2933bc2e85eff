package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.ErrorResponseRenderer;
import io.telltale.core.failure.ProxyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The response-head phase: what this hop adds to an origin's response head (Via, the request id, X-Cache,
 * Cache-Status or Proxy-Status, a stale-DNS warning) and the framing toward this client.
 */
final class ResponseHeads {
    /** What a response says when its site does not cache. */
    private static final CacheStatus NOT_CACHED = CacheStatus.forward(CacheStatus.Forward.BYPASS, false, false);
    private static final AsciiString X_CACHE = AsciiString.cached("x-cache");
    private static final AsciiString CACHE_STATUS = AsciiString.cached("cache-status");
    private static final AsciiString X_GATEWAY_WARNING = AsciiString.cached("x-gateway-warning");
    private static final String STALE_DNS = "stale-dns-answer";

    private final Gateway gateway;
    private final AsciiString via11;

    ResponseHeads(Gateway gateway, AsciiString via11) {
        this.gateway = gateway;
        this.via11 = via11;
    }

    /** Adds this hop's fields to an origin response's end-to-end headers and records the cache's outcome. */
    void decorate(ProxyExchange e, HttpHeaders h, int code, ResolvedOrigin resolved) {
        h.add(HttpHeaderNames.VIA, via11);
        h.set(OriginRequests.X_REQUEST_ID, e.facts().requestId());
        if (code >= 500) {
            e.cache = "Error";
            List<Map.Entry<String, String>> members = ErrorResponseRenderer.passThroughHeaders(code, gateway.via(),
                    e.nextHop(), e.trusted);
            for (Map.Entry<String, String> header : members) {
                // Proxy-Status and Cache-Status are lists with one member per hop, the origin's side first
                // (RFC 9209 §2, RFC 9211 §2): add this gateway's member after any the origin sent.
                if (X_CACHE.contentEqualsIgnoreCase(header.getKey())) {
                    h.set(header.getKey(), header.getValue());
                } else {
                    h.add(header.getKey(), header.getValue());
                }
            }
        } else {
            CacheStatus status = e.cacheStatus != null ? e.cacheStatus : NOT_CACHED;
            e.cache = ExchangeAnswers.shortCache(status.xCache());
            status.addTo(h);
        }
        if (resolved != null && resolved.stale()) {
            // RFC 8767: say that the origin was reached through an expired DNS answer because the resolvers failed.
            h.add(X_GATEWAY_WARNING, e.trusted
                    ? STALE_DNS + "; detail=\"" + resolved.evidence().get("stale") + "\""
                    : STALE_DNS);
        }
    }

    /** Replaces this hop's Cache-Status member, once what the cache did is known better than when it was added. */
    void restate(ProxyExchange e, HttpHeaders h, CacheStatus now) {
        CacheStatus before = e.cacheStatus;
        if (before == null || before.equals(now)) {
            return;
        }
        List<String> members = new ArrayList<>(h.getAll(CACHE_STATUS));
        int own = members.lastIndexOf(before.cacheStatus());
        if (own < 0) {
            return;
        }
        members.set(own, now.cacheStatus());
        h.set(CACHE_STATUS, members);
        e.cacheStatus = now;
    }

    /** Adds an {@code X-Gateway-Warning} member: the token for anyone, the detail only for trusted clients. */
    void warn(ProxyExchange e, HttpHeaders h, String token, String detail) {
        if (!e.trusted) {
            h.add(X_GATEWAY_WARNING, token);
            return;
        }
        StringBuilder member = new StringBuilder(token.length() + detail.length() + 16).append(token).append("; detail=");
        ProxyStatus.string(member, detail);
        h.add(X_GATEWAY_WARNING, member.toString());
    }

    /** Adds the fields a response relayed from another request's fill gets from this hop. */
    void decorateRelayed(ProxyExchange e, HttpHeaders h) {
        e.cache = ExchangeAnswers.shortCache(h.get(X_CACHE, "Miss"));
        h.add(HttpHeaderNames.VIA, via11);
        h.set(OriginRequests.X_REQUEST_ID, e.facts().requestId());
    }

    /** Sets the framing toward this client: chunked when the length is unknown, or close-delimited for HTTP/1.0. */
    void frame(ProxyExchange e, HttpHeaders h, boolean lengthUnknown) {
        int code = e.status;
        boolean bodiless = e.facts().head() || code == 204 || code == 304;
        boolean http11 = e.facts().http11();
        if (code == 204) {
            // No 204 may carry one (RFC 9110 section 8.6); an HTTP/2 client resets the stream when it does.
            h.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        if (!bodiless && lengthUnknown) {
            if (http11) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                e.closeAfter = true;
            }
        }
        if (gateway.draining().get()) {
            e.keepAlive = false;
        }
        if (e.closeAfter || !e.keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!http11) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
