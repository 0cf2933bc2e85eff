package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;

/**
 * What a request is, fixed when its header section arrives: who sent it, on which listener, and what it asks.
 *
 * @param requestId the id every log line, error and origin request carries
 * @param epochMillis when it arrived, on the wall clock
 * @param startNanos when it arrived, on the monotonic clock
 * @param request the request head, or null when none arrived (a header section that timed out)
 * @param clientAddress the client's address, or null when unknown
 * @param clientIp the client's address as text, or {@code -}
 * @param viewerTls whether it came over the HTTPS listener
 * @param background whether no client waits for it (a background revalidation)
 */
public record RequestFacts(String requestId, long epochMillis, long startNanos, HttpRequest request,
        InetAddress clientAddress, String clientIp, boolean viewerTls, boolean background) {

    /** Returns the method's name, or {@code -}. */
    public String method() {
        return request == null ? "-" : request.method().name();
    }

    /** Returns the request target as sent, or {@code -}. */
    public String path() {
        return request == null ? "-" : request.uri();
    }

    /** Returns whether the response carries no body because the request is a HEAD. */
    public boolean head() {
        return request != null && HttpMethod.HEAD.equals(request.method());
    }

    /**
     * Returns whether the request declares a body: chunked framing, or a Content-Length other than {@code 0}. It
     * does not parse the length, since a refused request's may be anything.
     */
    public boolean hasBody() {
        if (request == null) {
            return false;
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return HttpUtil.isTransferEncodingChunked(request) || (length != null && !"0".equals(length));
    }

    /** Returns whether the client speaks HTTP/1.1, which allows chunked framing and interim responses. */
    public boolean http11() {
        return request == null || HttpVersion.HTTP_1_1.equals(request.protocolVersion());
    }

    /** Returns the scheme the client used. */
    public String scheme() {
        return viewerTls ? "https" : "http";
    }
}
