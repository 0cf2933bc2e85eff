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
import io.telltale.core.cache.CacheLookup;
import java.net.URI;

/** Builds the requests the gateway sends to origins from what a client sent on one listener. */
public final class OriginRequests {
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString CDN_LOOP = AsciiString.cached("cdn-loop");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    private final String via;
    private final boolean viewerTls;

    OriginRequests(String via, boolean viewerTls) {
        this.via = via;
        this.viewerTls = viewerTls;
    }

    /** Returns the request to send to the origin, its headers cleaned of hop-by-hop fields and forwarding added. */
    HttpRequest outbound(Exchange e, HttpRequest request, String clientIp) {
        // A cache fill keeps the client's own headers for its variants and conditionals: forward a copy.
        HttpHeaders h = e.fill != null ? request.headers().copy() : request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        HopHeaders.strip(h);
        // The debug token is the site's secret: it never leaves the gateway.
        h.remove(ClientTrust.DEBUG_HEADER);
        if (e.expectContinue) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        forwardingHeaders(e, h, clientIp);
        HttpMethod method = request.method();
        if (e.fill != null) {
            // The cache stores the full representation: a HEAD is fetched as a GET and its body kept, not sent.
            e.lookup.prepareOriginRequest(h);
            method = HttpMethod.GET;
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, originForm(request.uri()), h);
    }

    /** Returns the conditional GET a background revalidation sends, from this request's forwarded headers. */
    HttpRequest refresh(Exchange e, CacheLookup lookup, String clientIp) {
        HttpHeaders headers = e.request.headers().copy();
        HopHeaders.strip(headers);
        headers.remove(ClientTrust.DEBUG_HEADER);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        forwardingHeaders(e, headers, clientIp);
        lookup.prepareOriginRequest(headers);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, originForm(e.path), headers);
    }

    private void forwardingHeaders(Exchange e, HttpHeaders h, String clientIp) {
        HttpVersion version = e.request.protocolVersion();
        h.add(HttpHeaderNames.VIA, version.majorVersion() + "." + version.minorVersion() + " " + via);
        h.add(CDN_LOOP, via);
        h.add(X_FORWARDED_FOR, clientIp);
        h.set(X_FORWARDED_PROTO, viewerTls ? "https" : "http");
        h.set(X_FORWARDED_HOST, e.host);
        h.set(X_REQUEST_ID, e.requestId);
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
