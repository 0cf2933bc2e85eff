package io.telltale.server.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.telltale.core.http.HopByHop;
import io.telltale.server.cluster.Cluster;
import io.telltale.server.profile.ProfileHeaders;
import io.telltale.server.trace.TraceParent;
import java.net.URI;

/** Builds the request the gateway sends to an origin from what a client sent. */
public final class OriginRequests {
    /** The request id every response and origin request carries. */
    public static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString CDN_LOOP = AsciiString.cached("cdn-loop");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString TRACEPARENT = AsciiString.cached(TraceParent.HEADER);
    private static final AsciiString TRACESTATE = AsciiString.cached(TraceParent.STATE_HEADER);
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");

    private final AsciiString via;
    private final AsciiString via11;
    private final AsciiString via10;
    private final boolean traceContext;

    OriginRequests(String via, boolean traceContext) {
        this.traceContext = traceContext;
        this.via = AsciiString.cached(via);
        this.via11 = AsciiString.cached("1.1 " + via);
        this.via10 = AsciiString.cached("1.0 " + via);
    }

    /** Returns the request to send to the origin, its headers cleaned of hop-by-hop fields and forwarding added. */
    HttpRequest outbound(ProxyExchange e) {
        HttpRequest request = e.facts().request();
        // A cache fill keeps the client's own headers for its variants and conditionals, and a CDN profile rewrites
        // what the origin gets while the client's headers still choose an error's format: forward a copy.
        HttpHeaders h = e.fill != null || ProfileHeaders.rewrites(e.site.config()) ? request.headers().copy()
                : request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        // The one TE value HTTP/2 allows (RFC 9113 §8.2.2), kept until an attempt goes to an HTTP/1.1 origin, for
        // which TE is hop-by-hop: gRPC origins want to know that trailers get through.
        boolean trailers = h.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        HopByHop.strip(h);
        if (trailers) {
            h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
        // The debug token is the site's secret: it never leaves the gateway.
        h.remove(ClientTrust.DEBUG_HEADER);
        // So is the cluster's secret: only an attempt at a peer carries it, set there.
        h.remove(Cluster.PEER_HEADER);
        if (e.expectContinue) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (e.upgrade != null) {
            // Hop-by-hop, so stripped above; passed on for the one protocol the site allows and the client asked.
            h.set(HttpHeaderNames.UPGRADE, e.upgrade);
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        HttpVersion version = request.protocolVersion();
        h.add(HttpHeaderNames.VIA, version.minorVersion() == 0 ? via10 : via11);
        h.add(CDN_LOOP, via);
        h.add(X_FORWARDED_FOR, e.facts().clientIp());
        h.set(X_FORWARDED_PROTO, e.facts().viewerTls() ? HTTPS : HTTP);
        h.set(X_FORWARDED_HOST, e.host);
        h.set(X_REQUEST_ID, e.facts().requestId());
        if (traceContext) {
            if (e.trace == null) {
                e.trace = TraceParent.continueOrStart(h.get(TRACEPARENT));
            }
            h.set(TRACEPARENT, e.trace.header());
            if (!e.trace.continued()) {
                // Vendors' state belongs to the trace it came with, which this request no longer continues.
                h.remove(TRACESTATE);
            }
        }
        HttpMethod method = request.method();
        if (e.fill != null) {
            // The cache stores the full representation: a HEAD is fetched as a GET and its body kept, not sent.
            e.lookup.prepareOriginRequest(h);
            method = HttpMethod.GET;
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, originForm(request.uri()), h);
    }

    /**
     * Fits an exchange's outbound request to the origin its attempt is about to reach: that origin's Host, no TE
     * toward HTTP/1.1 (it is kept for HTTP/2, where {@code TE: trailers} matters), and its CDN profile's headers.
     */
    static void forTarget(ProxyExchange e) {
        HttpHeaders headers = e.outbound.headers();
        headers.set(HttpHeaderNames.HOST, e.target.hostHeader(e.host));
        if (!e.target.http2()) {
            headers.remove(HttpHeaderNames.TE);
        }
        ProfileHeaders.apply(headers, e.target.origin().profile(), new ProfileHeaders.Visitor(
                e.facts().clientIp(), e.facts().viewerTls(), e.target.tls(), e.facts().requestId()));
    }

    /**
     * Turns a request into one for the rest of a response from byte {@code offset} on, and only if the
     * representation still carries {@code validator} (RFC 9110 §14.2, §13.1.5).
     */
    static void resume(HttpHeaders headers, long offset, String validator) {
        headers.remove(HttpHeaderNames.IF_NONE_MATCH);
        headers.remove(HttpHeaderNames.IF_MODIFIED_SINCE);
        headers.remove(HttpHeaderNames.IF_MATCH);
        headers.remove(HttpHeaderNames.IF_UNMODIFIED_SINCE);
        headers.set(HttpHeaderNames.RANGE, "bytes=" + offset + "-");
        headers.set(HttpHeaderNames.IF_RANGE, validator);
    }

    /** Returns the request target in origin form: absolute-form targets lose their scheme and authority. */
    private static String originForm(String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        URI parsed = URI.create(uri);
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        return parsed.getRawQuery() == null ? path : path + "?" + parsed.getRawQuery();
    }
}
