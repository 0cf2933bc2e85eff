package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.failure.Failure;
import io.telltale.core.origin.OriginConnection;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.origin.RequestTimeline;

/**
 * The state of one request on a client connection, from its header section to the last byte of its
 * response. Only the connection's event loop touches it.
 */
public final class Exchange {
    final String requestId;
    final RequestTimeline timeline;
    final long epochMillis;
    final HttpRequest request;
    final String method;
    final String path;
    String host = "-";
    Site site;
    String hostName;
    OriginTarget target;
    int originIndex;
    HttpRequest outbound;
    OriginConnection connection;
    boolean trusted;
    boolean keepAlive;
    boolean head;
    boolean idempotent;
    boolean requestHasBody;
    boolean expectContinue;
    long requestBodyBytes;
    /** The client's request has been read to its end. */
    boolean requestComplete;
    /** The request's last byte has been written to the origin. */
    boolean requestForwarded;
    boolean responseStarted;
    boolean responseComplete;
    boolean closeAfter;
    boolean retried;
    /** The origin connection may serve another request after this response. */
    boolean connectionReusable = true;
    /** Response writes to the client not yet completed; the origin is read again when none are left. */
    int pendingWrites;
    int status;
    /** The exchange has been written to the access log and counted. */
    boolean logged;
    long responseBytes;
    String cache = "-";
    Failure failure;
    /** What the cache said for this request, or null when the site does not cache. */
    CacheLookup lookup;
    /** The cache fill this request leads, fed from its origin response; null when not leading one. */
    CacheFill fill;
    /** The origin response's head, built but not yet written: it leaves with the first piece of the body. */
    HttpResponse pendingHead;
    /** The cache's outcome to report on a response from the origin. */
    CacheStatus cacheStatus;

    Exchange(String requestId, RequestTimeline timeline, long epochMillis, HttpRequest request) {
        this.requestId = requestId;
        this.timeline = timeline;
        this.epochMillis = epochMillis;
        this.request = request;
        this.method = request == null ? "-" : request.method().name();
        this.path = request == null ? "-" : request.uri();
        if (request != null) {
            HttpMethod m = request.method();
            head = HttpMethod.HEAD.equals(m);
            idempotent = HttpMethod.GET.equals(m) || head || HttpMethod.OPTIONS.equals(m)
                    || HttpMethod.PUT.equals(m) || HttpMethod.DELETE.equals(m) || HttpMethod.TRACE.equals(m);
        }
    }

    /** Returns the site name for metrics and logs. */
    String siteName() {
        return site == null ? "-" : site.name();
    }

    /** Returns the origin's next hop for metrics and errors, or {@code -}. */
    String nextHop() {
        return target == null ? "-" : target.nextHop();
    }
}
