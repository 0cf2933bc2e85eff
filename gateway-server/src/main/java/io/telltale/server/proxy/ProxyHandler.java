package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheResponse;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.cache.FillAbort;
import io.telltale.core.cache.FillListener;
import io.telltale.core.cache.SiteCache;
import io.telltale.core.failure.ErrorContext;
import io.telltale.core.failure.ErrorResponseRenderer;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.JournalEntry;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.OriginResponseTimeoutException;
import io.telltale.core.failure.Phase;
import io.telltale.core.failure.RenderedError;
import io.telltale.core.origin.OriginConnection;
import io.telltale.core.origin.OriginExchangeListener;
import io.telltale.core.origin.RequestTimeline;
import io.telltale.core.rules.RuleContext;
import io.telltale.core.tls.TlsStage;
import io.telltale.server.edge.ClientDeadlines;
import io.telltale.server.edge.DecoderFailures;
import io.telltale.server.local.GatewayResponses;
import io.telltale.server.observe.AccessRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each request on a client connection through routing and the origin and streams the response back,
 * one request at a time so that pipelined responses leave in order.
 *
 * <p>Reads are explicit in both directions: the next piece is read only once the previous one was written,
 * so a large body in either direction holds at most a read's worth in memory. Requests waiting on another
 * request's cache miss are the exception: they are sent what arrives, at the pace of the request that leads.
 * Every failure before the response started becomes the gateway's explained error; after it started, the
 * connection is aborted.
 */
public final class ProxyHandler extends ChannelInboundHandlerAdapter implements OriginExchangeListener {
    /** The event that asks a connection to close once its current request, if any, is answered. */
    public static final Object DRAIN = new Object();

    /** What a response says when its site does not cache. */
    private static final CacheStatus NOT_CACHED = CacheStatus.forward(CacheStatus.Forward.BYPASS, false, false);
    private static final AsciiString X_REQUEST_ID = OriginRequests.X_REQUEST_ID;
    private static final AsciiString X_CACHE = AsciiString.cached("x-cache");
    private static final AsciiString X_GATEWAY_WARNING = AsciiString.cached("x-gateway-warning");
    private static final String STALE_DNS = "stale-dns-answer";
    /** The diagnostic page in the key=value style of Cloudflare's {@code /cdn-cgi/trace}, on every site. */
    static final String TRACE_PATH = "/__telltale/trace";
    private static final AsciiString CACHE_STATUS = AsciiString.cached("cache-status");
    private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
    private static final HttpResponseStatus CONTINUE = HttpResponseStatus.CONTINUE;

    private final Gateway gateway;
    private final boolean viewerTls;
    private final String via11;
    private final OriginRequests requests;
    private ChannelHandlerContext ctx;
    private ClientDeadlines deadlines;
    private InetAddress clientAddress;
    private String clientIp = "-";
    private Exchange ex;
    private boolean awaitingClient;

    public ProxyHandler(Gateway gateway, boolean viewerTls) {
        this.gateway = gateway;
        this.viewerTls = viewerTls;
        this.via11 = "1.1 " + gateway.via();
        this.requests = new OriginRequests(gateway.via(), viewerTls);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadlines = ctx.pipeline().get(ClientDeadlines.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress();
            clientIp = clientAddress.getHostAddress();
        }
        gateway.metrics().clientConnected();
        deadlines.awaitRequest();
        readClient();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gateway.metrics().clientDisconnected();
        Exchange current = ex;
        ex = null;
        if (current != null) {
            if (current.connection != null) {
                current.connection.close();
            }
            if (current.fill != null) {
                // Requests waiting on this miss fetch it themselves.
                current.fill.fail(0, null);
            }
            if (!current.logged) {
                log(current);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        awaitingClient = false;
        if (msg instanceof HttpRequest request) {
            onRequest(request);
        }
        if (msg instanceof HttpContent content) {
            onRequestContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // FlowControlHandler counts a finished read cycle as the answer to a read() even when no message came
        // for us (the read was asked for in the middle of the cycle), so ask again.
        if (awaitingClient) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    /** Returns what {@code /__telltale/trace} reports: only what the client itself sent or this hop decided. */
    private Map<String, String> traceFacts(Exchange e) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("fl", gateway.via());
        facts.put("h", e.hostName);
        facts.put("ip", clientIp);
        long now = gateway.epochClock().getAsLong();
        facts.put("ts", (now / 1000) + "." + String.format(Locale.ROOT, "%03d", now % 1000));
        facts.put("visit_scheme", viewerTls ? "https" : "http");
        facts.put("uag", e.request.headers().get(HttpHeaderNames.USER_AGENT, ""));
        facts.put("http", e.request.protocolVersion().text().toLowerCase(Locale.ROOT));
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        SSLSession session = tls == null ? null : tls.engine().getSession();
        facts.put("tls", session == null ? "off" : session.getProtocol());
        String sni = "off";
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = host.getAsciiName();
                }
            }
        }
        facts.put("sni", sni);
        facts.put("site", e.site.name());
        facts.put("request_id", e.requestId);
        return facts;
    }

    /** Asks for the next message from the client. */
    private void readClient() {
        awaitingClient = true;
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientDeadlines.HEADER_TIMEOUT && ex == null) {
            ex = newExchange(null);
            ex.closeAfter = true;
            ex.requestComplete = true;
            sendError(Failure.of(FailureCode.REQUEST_HEADER_TIMEOUT,
                    "The request's header section was not complete within "
                            + gateway.limits().headerTimeout().toMillis() + " ms.",
                    Evidence.builder().put("headerTimeoutMs", gateway.limits().headerTimeout().toMillis()).build()));
            return;
        }
        if (evt == DRAIN) {
            if (ex == null) {
                ctx.close();
            } else {
                ex.keepAlive = false;
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Client-side I/O errors (resets, broken pipes) only end this connection; anything else is a bug here.
        if (!isClientSideError(cause)) {
            LOG.warn("closing client connection after an unexpected error", cause);
        }
        ctx.close();
    }

    /** Returns whether an error is the client's doing (a reset, a failed or bogus TLS handshake), not a bug. */
    private static boolean isClientSideError(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        return t instanceof IOException || t instanceof NotSslRecordException;
    }

    private Exchange newExchange(HttpRequest request) {
        return new Exchange(RequestIds.next(), new RequestTimeline(gateway.nanoClock().getAsLong()),
                gateway.epochClock().getAsLong(), request);
    }

    // ---- the request ----

    private void onRequest(HttpRequest request) {
        deadlines.requestReceived();
        Exchange e = newExchange(request);
        ex = e;
        e.keepAlive = HttpUtil.isKeepAlive(request);
        e.requestHasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        DecoderResult result = request.decoderResult();
        if (!result.isSuccess()) {
            e.closeAfter = true;
            e.requestComplete = true;
            sendError(DecoderFailures.of(result.cause()));
            return;
        }
        String uri = request.uri();
        if (uri.startsWith(ErrorResponseRenderer.CATALOGUE_PATH)
                && (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))) {
            // The catalogue pages that problem+json "type" links point at are served on every host.
            e.cache = "-";
            e.closeAfter = e.requestHasBody;
            send(e, ErrorResponseRenderer.renderCataloguePage(
                    new QueryStringDecoder(uri).path().substring(ErrorResponseRenderer.CATALOGUE_PATH.length()),
                    request.headers().get(HttpHeaderNames.ACCEPT), gateway.via()));
            return;
        }
        Failure refused = RequestAdmission.admit(e, request, gateway, clientAddress);
        if (refused != null) {
            if (e.requestHasBody) {
                e.closeAfter = true;
            }
            sendError(refused);
            return;
        }
        if (uri.startsWith(TRACE_PATH) && isSafe(request.method()) && TRACE_PATH.equals(new QueryStringDecoder(uri).path())) {
            // What the gateway sees of this request, in the key=value form of Cloudflare's /cdn-cgi/trace.
            e.closeAfter = e.requestHasBody;
            send(e, GatewayResponses.trace(traceFacts(e)));
            return;
        }
        if (uri.startsWith(ErrorResponseRenderer.REQUESTS_PATH) && isSafe(request.method())) {
            // The "instance" of a problem: the journaled record, for the clients this site trusts with evidence.
            e.closeAfter = e.requestHasBody;
            send(e, GatewayResponses.journalEntry(gateway.journal(), e.site.name(), e.trusted, e.requestId,
                    new QueryStringDecoder(uri).path().substring(ErrorResponseRenderer.REQUESTS_PATH.length())));
            return;
        }
        if (e.site.cache() != null && answeredByCache(e, e.site.cache())) {
            return;
        }
        forward(e);
    }

    /** Sends the request on toward the origin: forwarded headers, the site's rules, then a connection. */
    private void forward(Exchange e) {
        e.outbound = requests.outbound(e, e.request, clientIp);
        if (!e.site.rules().isEmpty()) {
            Failure rejected = e.site.rules().applyViewerRequest(e.outbound.headers(), ruleContext(e));
            if (rejected != null) {
                e.closeAfter = e.requestHasBody;
                failBeforeResponse(e, rejected);
                return;
            }
        }
        connect(e, true);
    }

    // ---- the cache ----

    /** Asks the site's cache; returns true when it answered or subscribed the request to another's miss. */
    private boolean answeredByCache(Exchange e, SiteCache cache) {
        CacheLookup lookup = cache.lookup(e.request.method(), viewerTls ? "https" : "http", e.hostName, e.path,
                e.request.headers());
        e.lookup = lookup;
        switch (lookup.kind()) {
            case HIT:
            case STALE:
                CacheResponse hit = lookup.serve();
                if (hit == null) {
                    // Evicted between the lookup and now: fetch it like a request the cache takes no part in.
                    e.lookup = null;
                    return false;
                }
                if (lookup.backgroundRevalidation()) {
                    CacheFill refresh = cache.tryFill(lookup);
                    if (refresh != null) {
                        BackgroundRefresh.start(gateway, ctx.channel().eventLoop(), e.site,
                                e.site.target(0, viewerTls, e.hostName), requests.refresh(e, lookup, clientIp), refresh);
                    }
                }
                serveFromCache(e, hit);
                return true;
            case FAILURE:
                e.cacheStatus = lookup.cacheStatus();
                e.target = e.site.target(0, viewerTls, e.hostName);
                sendError(lookup.failure());
                return true;
            case GATEWAY_TIMEOUT:
                e.cache = shortCache(lookup.cacheStatus().xCache());
                send(e, GatewayResponses.onlyIfCachedMiss(e.requestId, lookup.cacheStatus()));
                return true;
            case MISS:
            case MUST_REVALIDATE:
                CacheFill fill = cache.join(lookup, ctx.channel().eventLoop(), new Follower(e));
                if (fill == null) {
                    e.cache = "Miss";
                    return true;
                }
                e.fill = fill;
                return false;
            default:
                e.cacheStatus = lookup.cacheStatus();
                return false;
        }
    }

    /** Writes a stored response: its body is a retained view of the stored buffer, never a copy. */
    private void serveFromCache(Exchange e, CacheResponse cached) {
        FullHttpResponse response = cached.toHttpResponse(HttpVersion.HTTP_1_1);
        e.cache = shortCache(cached.cacheStatus().xCache());
        response.headers().add(HttpHeaderNames.VIA, via11);
        response.headers().set(X_REQUEST_ID, e.requestId);
        writeComplete(e, response);
    }

    /** Receives another request's origin response for this collapsed miss, on this connection's loop. */
    private final class Follower implements FillListener {
        private final Exchange e;

        Follower(Exchange e) {
            this.e = e;
        }

        @Override
        public void onHead(HttpResponseStatus status, HttpHeaders headers) {
            if (ex != e) {
                return;
            }
            e.responseStarted = true;
            e.status = status.code();
            e.cache = shortCache(headers.get("X-Cache", "Miss"));
            headers.add(HttpHeaderNames.VIA, via11);
            headers.set(X_REQUEST_ID, e.requestId);
            frame(e, headers, !headers.contains(HttpHeaderNames.CONTENT_LENGTH));
            ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
        }

        @Override
        public void onContent(ByteBuf content) {
            if (ex != e || e.head) {
                content.release();
                return;
            }
            e.responseBytes += content.readableBytes();
            ctx.writeAndFlush(new DefaultHttpContent(content));
        }

        @Override
        public void onComplete() {
            if (ex != e) {
                return;
            }
            e.timeline.done(gateway.nanoClock().getAsLong());
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener((ChannelFutureListener) f -> onResponseWritten(e, f));
        }

        @Override
        public void onAbort(FillAbort abort) {
            if (ex != e) {
                return;
            }
            if (abort.headDelivered()) {
                abort(e, abort.failure() != null ? abort.failure() : Failure.of(FailureCode.ORIGIN_CONNECTION_CLOSED,
                        "The response this request was waiting for broke off.", Evidence.empty()));
                return;
            }
            if (abort.failure() != null || abort.originStatus() > 0) {
                CacheResponse stale = e.lookup.serveStaleOnError(abort.originStatus(),
                        abort.failure() == null ? null : abort.failure().code().code());
                if (stale != null) {
                    if (abort.failure() != null) {
                        journal(e, abort.failure(), false);
                    }
                    serveFromCache(e, stale);
                    return;
                }
                if (abort.failure() != null) {
                    sendError(abort.failure());
                    return;
                }
            }
            // Timed out waiting, a different variant, or asked to retry: fetch it without the cache's help.
            e.lookup = null;
            forward(e);
        }
    }

    private RuleContext ruleContext(Exchange e) {
        return new RuleContext(clientIp, e.hostName, e.path, e.requestId, e.request.headers());
    }

    private void connect(Exchange e, boolean allowPooled) {
        e.target = e.site.target(e.originIndex, viewerTls, e.hostName);
        e.outbound.headers().set(HttpHeaderNames.HOST, e.target.hostHeader(e.host));
        Future<OriginConnection> acquired = gateway.connector()
                .acquire(ctx.channel().eventLoop(), e.target, e.site.addressGuard(), e.timeline, allowPooled);
        if (acquired.isDone()) {
            onAcquired(e, acquired);
        } else {
            acquired.addListener(f -> onAcquired(e, acquired));
        }
    }


    private void onAcquired(Exchange e, Future<OriginConnection> acquired) {
        if (ex != e) {
            if (acquired.isSuccess()) {
                acquired.getNow().close();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            Failure failure = failureOf(acquired.cause(), e);
            if (failure.code().phase() == Phase.CONNECT && e.originIndex + 1 < e.site.origins().size()
                    && failure.code() != FailureCode.ORIGIN_CONNECTION_LIMIT) {
                e.originIndex++;
                connect(e, true);
                return;
            }
            if (e.requestHasBody && !e.requestComplete) {
                e.closeAfter = true;
            }
            failBeforeResponse(e, failure);
            return;
        }
        OriginConnection connection = acquired.getNow();
        e.connection = connection;
        if (!connection.reused()) {
            gateway.metrics().originConnect(e.siteName(), e.timeline.connectMillis());
        }
        connection.attach(this);
        connection.channel().write(e.outbound);
        if (e.requestComplete) {
            // A retry: the client's request had no body and was already read to its end.
            writeLastToOrigin(e, LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        if (e.expectContinue) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, CONTINUE));
        }
        connection.channel().flush();
        readClient();
    }

    private void onRequestContent(HttpContent content) {
        Exchange e = ex;
        if (e == null || e.requestComplete) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        long max = gateway.limits().maxBodySize().bytes();
        if (e.connection == null) {
            // The request was answered without its body (an error or a stored response): the rest is dropped.
            boolean broken = !content.decoderResult().isSuccess();
            e.requestBodyBytes += content.content().readableBytes();
            content.release();
            if (broken || e.requestBodyBytes > max) {
                // Its answer is already out: a second one cannot be sent, so the connection ends.
                e.requestComplete = true;
                finish(e);
                ctx.close();
            } else if (last) {
                e.requestComplete = true;
                maybeFinish(e);
            } else {
                readClient();
            }
            return;
        }
        if (!content.decoderResult().isSuccess()) {
            content.release();
            e.requestComplete = true;
            e.closeAfter = true;
            if (e.connection != null) {
                e.connection.close();
                e.connection = null;
            }
            sendError(DecoderFailures.of(content.decoderResult().cause()));
            return;
        }
        e.requestBodyBytes += content.content().readableBytes();
        if (e.requestBodyBytes > max) {
            content.release();
            e.requestComplete = true;
            e.closeAfter = true;
            if (e.connection != null) {
                e.connection.close();
                e.connection = null;
            }
            sendError(RequestAdmission.bodyTooLarge(e.requestBodyBytes, max));
            return;
        }
        if (last) {
            e.requestComplete = true;
            writeLastToOrigin(e, (LastHttpContent) content);
            return;
        }
        e.connection.channel().writeAndFlush(content).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && ex == e) {
                readClient();
            }
        });
    }

    private void writeLastToOrigin(Exchange e, LastHttpContent last) {
        OriginConnection connection = e.connection;
        connection.channel().writeAndFlush(last).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && ex == e && e.connection == connection) {
                e.requestForwarded = true;
                e.timeline.requestSent(gateway.nanoClock().getAsLong());
                connection.startResponseTimer();
                connection.read();
            }
        });
    }

    // ---- the response ----

    @Override
    public void onResponseObject(HttpObject message) {
        Exchange e = ex;
        if (e == null || e.connection == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            onResponseHead(e, response);
        }
        if (message instanceof HttpContent content) {
            onResponseContent(e, content);
        } else if (!(message instanceof HttpResponse)) {
            ReferenceCountUtil.release(message);
        }
    }

    private void onResponseHead(Exchange e, HttpResponse response) {
        if (!response.decoderResult().isSuccess()) {
            failOrigin(e, new FailureException(FailureClassifier.classifyDecoderFailure(
                    response.decoderResult().cause(), false, e.connection.hop())));
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            // Interim responses (103 Early Hints, a stray 100) are not relayed: the gateway answered Expect itself.
            e.connection.read();
            return;
        }
        e.timeline.firstByte(gateway.nanoClock().getAsLong());
        gateway.metrics().originFirstByte(e.siteName(), e.timeline.firstByteMillis());
        boolean originKeepAlive = HttpUtil.isKeepAlive(response);
        HttpHeaders h = response.headers();
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        if (!originKeepAlive) {
            e.connectionReusable = false;
        }
        HopHeaders.strip(h);
        if (!e.site.rules().isEmpty()) {
            Failure rejected = e.site.rules().applyOriginResponse(h, ruleContext(e));
            if (rejected != null) {
                // The origin's body is not wanted: this connection cannot be reused.
                dropOrigin(e);
                e.closeAfter = !e.requestComplete;
                failBeforeResponse(e, rejected);
                return;
            }
        }
        if (e.site.cache() != null) {
            if (!isSafe(e.request.method()) && code >= 200 && code < 400) {
                e.site.cache().invalidate(e.request.method(), viewerTls ? "https" : "http", e.hostName, e.path,
                        e.request.headers(), code, h);
            }
            if (e.fill != null && answeredInsteadOfFill(e, response, h, code)) {
                return;
            }
        }
        e.responseStarted = true;
        e.status = code;
        h.add(HttpHeaderNames.VIA, via11);
        h.set(X_REQUEST_ID, e.requestId);
        if (code >= 500) {
            e.cache = "Error";
            for (Map.Entry<String, String> header : ErrorResponseRenderer.passThroughHeaders(code, gateway.via(),
                    e.nextHop(), e.trusted)) {
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
            e.cache = shortCache(status.xCache());
            status.addTo(h);
        }
        if (e.connection.resolved().stale()) {
            // RFC 8767: say that the origin was reached through an expired DNS answer because the resolvers failed.
            h.add(X_GATEWAY_WARNING, e.trusted
                    ? STALE_DNS + "; detail=\"" + e.connection.resolved().evidence().get("stale") + "\""
                    : STALE_DNS);
        }
        frame(e, h, !hasLength);
        // Held until the body's first piece decodes: a body broken from its first byte still gets a 502.
        e.pendingHead = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), h);
        if (!(response instanceof HttpContent)) {
            e.connection.read();
        }
    }

    /** Sets the framing toward this client: chunked when the length is unknown, or close-delimited for HTTP/1.0. */
    private void frame(Exchange e, HttpHeaders h, boolean lengthUnknown) {
        int code = e.status;
        boolean bodiless = e.head || code == 204 || code == 304;
        boolean clientHttp11 = e.request.protocolVersion().equals(HttpVersion.HTTP_1_1);
        if (!bodiless && lengthUnknown) {
            if (clientHttp11) {
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
        } else if (!clientHttp11) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * Feeds the head of an origin response to the cache fill this request leads, unless the cache answers
     * instead: a 304 refreshing the stored object, or a stale copy in place of an origin error. Returns true
     * when the client was answered from the cache.
     */
    private boolean answeredInsteadOfFill(Exchange e, HttpResponse response, HttpHeaders h, int code) {
        CacheFill fill = e.fill;
        if (code == 304 && e.lookup.kind() == CacheLookup.Kind.MUST_REVALIDATE) {
            e.fill = null;
            dropOrigin(e);
            CacheLookup refreshed = fill.notModified(h);
            CacheResponse fresh = refreshed == null ? null : refreshed.serve();
            if (fresh != null) {
                serveFromCache(e, fresh);
                return true;
            }
            // The 304 does not match what is stored: fetch the object again without validators.
            fill.fail(code, null);
            e.lookup = null;
            forward(e);
            return true;
        }
        if (code >= 500) {
            CacheResponse stale = e.lookup.serveStaleOnError(code, null);
            if (stale != null) {
                fill.fail(code, null);
                e.fill = null;
                dropOrigin(e);
                serveFromCache(e, stale);
                return true;
            }
        }
        fill.head(response.status(), h);
        e.cacheStatus = fill.cacheStatus();
        return false;
    }

    /** Gives up the origin connection mid-response: it cannot serve another request. */
    private static void dropOrigin(Exchange e) {
        if (e.connection != null) {
            e.connection.close();
            e.connection = null;
        }
    }

    private static boolean isSafe(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.TRACE.equals(method);
    }

    private void onResponseContent(Exchange e, HttpContent content) {
        if (!content.decoderResult().isSuccess()) {
            content.release();
            failOrigin(e, new FailureException(FailureClassifier.classifyDecoderFailure(
                    content.decoderResult().cause(), e.responseStarted, e.connection.hop())));
            return;
        }
        if (!e.responseStarted) {
            // The end of an interim (1xx) response: the final response follows.
            content.release();
            e.connection.read();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (e.pendingHead != null) {
            ctx.write(e.pendingHead);
            e.pendingHead = null;
        }
        if (e.fill != null) {
            e.fill.content(content.content());
            if (last) {
                e.fill.complete();
                e.fill = null;
            }
        }
        OriginConnection connection = e.connection;
        if (e.head) {
            // A HEAD fetched as a GET for the cache: the body was kept, not sent.
            content.release();
            if (!last) {
                connection.read();
                return;
            }
            content = LastHttpContent.EMPTY_LAST_CONTENT;
        }
        e.responseBytes += content.content().readableBytes();
        if (last) {
            e.timeline.done(gateway.nanoClock().getAsLong());
            // The origin is done with this exchange: its connection can serve the next request now.
            if (e.connectionReusable && e.requestForwarded) {
                connection.release();
            } else {
                connection.close();
            }
            e.connection = null;
            if (!e.requestComplete && e.requestHasBody) {
                // The origin answered before the request's end: the rest of the upload cannot be framed.
                e.closeAfter = true;
            }
            ctx.writeAndFlush(content).addListener((ChannelFutureListener) f -> onResponseWritten(e, f));
            return;
        }
        if (e.pendingWrites++ == 0) {
            connection.pauseResponseTimer();
        }
        ctx.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && ex == e && e.connection == connection && --e.pendingWrites == 0) {
                connection.resumeResponseTimer();
                connection.read();
            }
        });
    }

    @Override
    public void onOriginFailure(Throwable cause) {
        Exchange e = ex;
        if (e == null || e.connection == null) {
            return;
        }
        failOrigin(e, cause);
    }

    private void failOrigin(Exchange e, Throwable cause) {
        OriginConnection connection = e.connection;
        e.connection = null;
        connection.close();
        if (e.pendingHead != null) {
            // Nothing reached the client yet: the failure can still be answered with its own status.
            e.pendingHead = null;
            e.responseStarted = false;
        }
        if (!e.responseStarted && connection.reused() && e.idempotent && !e.requestHasBody && !e.retried
                && cause != OriginResponseTimeoutException.INSTANCE) {
            // A pooled connection the origin had closed: retry once on a fresh connection.
            e.retried = true;
            connect(e, false);
            return;
        }
        Failure failure = originFailure(connection, cause, e.responseStarted);
        if (e.responseStarted) {
            if (e.fill != null) {
                // A cut body is never stored; waiting requests are told the response broke off.
                e.fill.fail(0, failure);
                e.fill = null;
            }
            abort(e, failure);
            return;
        }
        if (!e.requestComplete) {
            e.closeAfter = true;
        }
        failBeforeResponse(e, failure);
    }

    /**
     * Answers a failure that happened before any response byte was sent: with a stale copy when the cache
     * may serve one (the failure is still journaled), otherwise with the explained error, kept briefly in the
     * cache so that a storm of requests does not hammer a failing origin.
     */
    private void failBeforeResponse(Exchange e, Failure failure) {
        CacheFill fill = e.fill;
        if (fill != null) {
            e.fill = null;
            fill.fail(0, failure);
            CacheResponse stale = e.lookup.serveStaleOnError(0, failure.code().code());
            if (stale != null) {
                journal(e, failure, false);
                serveFromCache(e, stale);
                return;
            }
            e.site.cache().storeFailure(e.lookup, failure);
        }
        sendError(failure);
    }

    private Failure originFailure(OriginConnection connection, Throwable cause, boolean responseStarted) {
        if (cause instanceof FailureException fe) {
            return fe.failure();
        }
        SslHandler ssl = connection.sslHandler();
        if (ssl != null && !responseStarted) {
            // Under TLS 1.3 an origin's refusal of the (absent) client certificate arrives on the first read.
            Failure late = gateway.originTls().classify(ssl, cause, TlsStage.FIRST_READ).orElse(null);
            if (late != null) {
                return late;
            }
        }
        return FailureClassifier.classify(Phase.RESPONSE, cause, responseStarted, connection.hop());
    }

    /** Ends a response that already started: nothing can be said to the client but the connection's end. */
    private void abort(Exchange e, Failure failure) {
        e.failure = failure;
        e.closeAfter = true;
        journal(e, failure, true);
        log(e);
        e.responseComplete = true;
        ex = null;
        ctx.close();
    }

    // ---- the gateway's own answers ----

    private void sendError(Failure failure) {
        Exchange e = ex;
        e.failure = failure;
        e.status = failure.code().status();
        e.cache = "Error";
        e.responseStarted = true;
        e.timeline.done(gateway.nanoClock().getAsLong());
        journal(e, failure, false);
        String accept = e.request == null ? null : e.request.headers().get(HttpHeaderNames.ACCEPT);
        RenderedError rendered = ErrorResponseRenderer.render(failure, new ErrorContext(e.requestId,
                e.site == null ? null : e.site.name(), e.target == null ? null : e.target.nextHop(), e.method,
                e.host, e.path, e.timeline, e.trusted, accept, gateway.via(), null));
        send(e, rendered);
    }

    /** Writes one of the gateway's own complete responses and carries on with the connection after it. */
    private void send(Exchange e, RenderedError rendered) {
        FullHttpResponse response = GatewayResponses.toResponse(rendered);
        if (e.cacheStatus != null && e.lookup != null && e.lookup.kind() == CacheLookup.Kind.FAILURE) {
            response.headers().set(CACHE_STATUS, e.cacheStatus.cacheStatus());
        }
        writeComplete(e, response);
    }

    /** Writes a complete response of the gateway's own, or a stored one, and carries on after it. */
    private void writeComplete(Exchange e, FullHttpResponse response) {
        e.status = response.status().code();
        e.responseStarted = true;
        e.timeline.done(gateway.nanoClock().getAsLong());
        if (e.head) {
            response.content().clear();
        }
        e.responseBytes = response.content().readableBytes();
        if (e.closeAfter || !e.keepAlive || gateway.draining().get()) {
            e.closeAfter = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> onResponseWritten(e, f));
    }

    /** Returns the first word of an X-Cache value ({@code Hit}, {@code Miss}, ...) for the access log. */
    private static String shortCache(String xCache) {
        int space = xCache.indexOf(' ');
        return space < 0 ? xCache : xCache.substring(0, space);
    }

    private void journal(Exchange e, Failure failure, boolean responseStarted) {
        gateway.metrics().failure(failure.code().code(), e.siteName(), e.nextHop());
        gateway.journal().record(new JournalEntry(e.requestId, Instant.ofEpochMilli(e.epochMillis),
                e.site == null ? null : e.site.name(), e.target == null ? null : e.target.nextHop(), e.method, e.host,
                e.path, failure, JournalEntry.Timings.of(e.timeline), responseStarted));
    }

    private void onResponseWritten(Exchange e, ChannelFuture f) {
        e.responseComplete = true;
        if (!f.isSuccess() || e.closeAfter || !e.keepAlive) {
            finish(e);
            ctx.close();
            return;
        }
        if (e.requestComplete) {
            maybeFinish(e);
        } else {
            // The response went out before the request's end (an early answer): read the rest and drop it.
            readClient();
        }
    }

    private void maybeFinish(Exchange e) {
        if (!e.requestComplete || !e.responseComplete || ex != e) {
            return;
        }
        finish(e);
        ex = null;
        if (gateway.draining().get()) {
            ctx.close();
            return;
        }
        deadlines.awaitRequest();
        readClient();
    }

    private void finish(Exchange e) {
        if (ex == e) {
            ex = null;
        }
        log(e);
    }

    private void log(Exchange e) {
        if (e.logged) {
            return;
        }
        e.logged = true;
        String code = e.failure == null ? "-" : e.failure.code().code();
        gateway.metrics().request(e.siteName(), e.status, code);
        RequestTimeline t = e.timeline;
        long total = (gateway.nanoClock().getAsLong() - t.startNanos()) / 1_000_000;
        gateway.accessLog().log(new AccessRecord(e.epochMillis, e.requestId, clientIp, e.host, e.method, e.path,
                e.status, e.responseBytes, total, e.cache, code, t.dnsMillis(), t.connectMillis(), t.tlsMillis(),
                t.firstByteMillis()));
    }

    private static Failure failureOf(Throwable cause, Exchange e) {
        if (cause instanceof FailureException fe) {
            return fe.failure();
        }
        return FailureClassifier.classify(Phase.CONNECT, cause, false,
                new OriginHop(e.target.origin().host(), e.target.port(), null));
    }
}
