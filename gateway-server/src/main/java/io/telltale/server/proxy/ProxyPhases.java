package io.telltale.server.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.RenderedError;
import io.telltale.core.http.Methods;
import io.telltale.core.rules.RuleContext;
import io.telltale.server.local.LocalAnswers;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's way through the gateway, phase by phase: admit, route, local answers, cache, viewer-request
 * rules, origin attempts, then the response, which {@link OriginPhase} streams and {@link ExchangeAnswers}
 * finishes. One instance serves every connection of a listener.
 */
public final class ProxyPhases {
    private final Gateway gateway;
    private final OriginRequests requests;
    private final ExchangeAnswers answers;
    private final CachePhase cache;
    private final OriginPhase origin;

    /** Creates the phases of a gateway. */
    public ProxyPhases(Gateway gateway) {
        this.gateway = gateway;
        // Exported spans carry the ids sent to the origin, so exporting them turns trace context on.
        this.requests = new OriginRequests(gateway.via(),
                gateway.config().observe().traceContext() || gateway.spans() != null);
        this.answers = new ExchangeAnswers(gateway);
        this.origin = new OriginPhase(gateway, answers);
        this.cache = new CachePhase(gateway, answers, this);
        origin.phases(this);
    }

    /**
     * Takes a request whose header section just arrived through its phases, top to bottom.
     *
     * @param e the exchange
     * @param malformed why the edge could not decode the request (its framing, length or characters), or null
     */
    public void start(ProxyExchange e, Failure malformed) {
        HttpRequest request = e.facts().request();
        if (malformed != null) {
            e.closeAfter = true;
            e.requestComplete = true;
            answers.fail(e, malformed);
            return;
        }
        if (gateway.cluster() != null && answered(e, gateway.cluster().purgeAnswer().answer(request))) {
            return;
        }
        if (answered(e, LocalAnswers.catalogue(request, gateway.via()))) {
            return;
        }
        Failure refused = RequestAdmission.admit(e, gateway);
        if (refused != null) {
            // After a malformed request line, Host or CONNECT the client and this gateway may not agree on
            // where the next request begins.
            e.closeAfter |= e.facts().hasBody() || refused.code() == FailureCode.MALFORMED_REQUEST;
            answers.fail(e, refused);
            return;
        }
        if (answered(e, LocalAnswers.forSite(request, Methods.isSafe(request.method()), () -> traceFacts(e),
                gateway.journal(), e.site.name(), e.trusted, e.facts().requestId()))) {
            return;
        }
        e.upgrade = Upgrades.requested(e, e.site.config().upgrades().protocols());
        if (e.upgrade == null && e.downstream().tunnelOnly()) {
            answers.fail(e, Upgrades.notPassedOn(e));
            return;
        }
        // An upgrade is a connection of its own, never a cacheable response.
        if (e.site.cache() != null && e.upgrade == null && cache.answered(e)) {
            return;
        }
        forward(e);
    }

    /** Sends the request on toward the origin: forwarded headers, the site's viewer-request rules, attempts. */
    void forward(ProxyExchange e) {
        e.outbound = requests.outbound(e);
        if (e.resumeAt >= 0) {
            OriginRequests.resume(e.outbound.headers(), e.resumeAt, e.resumeValidator);
        }
        if (!e.site.rules().isEmpty()) {
            Failure rejected = e.site.rules().applyViewerRequest(e.outbound.headers(), ruleContext(e));
            if (rejected != null) {
                e.closeAfter = e.facts().hasBody();
                if (e.stage().canAnswer()) {
                    answers.failBeforeResponse(e, rejected);
                } else {
                    answers.abort(e, rejected);
                }
                return;
            }
        }
        origin.attempt(e, false);
    }

    /**
     * Revalidates a stale object (stale-while-revalidate), or fetches a whole object a range request missed, in the
     * background as an exchange without a client: the same request a foreground miss sends, through the same rules
     * and attempts, logged as background.
     */
    void revalidate(ProxyExchange served, CacheLookup lookup, CacheFill fill) {
        HttpRequest client = served.facts().request();
        HttpHeaders headers = client.headers().copy();
        // What the client's own request carried as a body is not the revalidation's.
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        HttpRequest copy = new DefaultHttpRequest(client.protocolVersion(), client.method(), client.uri(), headers);
        RequestFacts facts = new RequestFacts(RequestIds.next(), gateway.epochClock().getAsLong(),
                gateway.nanoClock().getAsLong(), copy, served.facts().clientAddress(), served.facts().clientIp(),
                served.facts().viewerTls(), true);
        ProxyExchange e = new ProxyExchange(facts, new BackgroundDownstream(served.downstream().loop()));
        e.host = served.host;
        e.hostName = served.hostName;
        e.site = served.site;
        e.trusted = served.trusted;
        e.keepAlive = false;
        e.lookup = lookup;
        e.fill = fill;
        e.fromPeer = served.fromPeer;
        PeerHop.chooseOwner(e, gateway.cluster());
        forward(e);
    }

    /**
     * Takes the next piece of the request body: on to the origin, or dropped when the request was answered.
     *
     * @param e the exchange
     * @param content the piece
     * @param malformed why the edge could not decode this piece, or null
     */
    public void requestContent(ProxyExchange e, HttpContent content, Failure malformed) {
        boolean last = content instanceof LastHttpContent;
        long max = gateway.limits().maxBodySize().bytes();
        boolean broken = malformed != null;
        e.requestBodyBytes += content.content().readableBytes();
        OriginAttempt attempt = e.attempt;
        if (attempt == null || !attempt.connected()) {
            content.release();
            answers.bodyDropped(e, broken || e.requestBodyBytes > max, last);
            return;
        }
        if (broken || e.requestBodyBytes > max) {
            Failure failure = broken ? malformed : RequestAdmission.bodyTooLarge(e.requestBodyBytes, max);
            content.release();
            e.requestComplete = true;
            e.closeAfter = true;
            e.attempt = null;
            attempt.abandon();
            answers.failOrAbort(e, failure);
            return;
        }
        if (last) {
            e.requestComplete = true;
        }
        attempt.sendBody(content);
    }

    /** Answers a request whose header section did not arrive in time. */
    public void headerTimeout(ProxyExchange e) {
        e.closeAfter = true;
        long millis = gateway.limits().headerTimeout().toMillis();
        answers.fail(e, Failure.of(FailureCode.REQUEST_HEADER_TIMEOUT,
                "The request's header section was not complete within " + millis + " ms.",
                Evidence.builder().put("headerTimeoutMs", millis).build()));
    }

    /**
     * Gives up a request whose body stopped arriving or trickled in too slowly: its origin attempt is abandoned and
     * the client gets the failure, or, when the response already started, the end of its connection or stream.
     */
    public void bodyTimeout(ProxyExchange e, Failure failure) {
        if (e.stage() == ExchangeStage.DONE) {
            return;
        }
        e.requestComplete = true;
        e.closeAfter = true;
        OriginAttempt attempt = e.attempt;
        if (attempt != null) {
            e.attempt = null;
            attempt.abandon();
        }
        answers.failOrAbort(e, failure);
    }

    /** Lets the origin send more once a slow client took what was written. */
    public void clientWritable(ProxyExchange e) {
        origin.clientWritable(e);
        if (e.subscription != null) {
            e.subscription.clientWritable();
        }
    }

    /** Ends an exchange whose client went away. */
    public void clientGone(ProxyExchange e) {
        answers.clientGone(e);
    }

    private boolean answered(ProxyExchange e, RenderedError local) {
        if (local == null) {
            return false;
        }
        e.closeAfter |= e.facts().hasBody();
        answers.send(e, local);
        return true;
    }

    /** Returns what {@code /__telltale/trace} reports: only what the client itself sent or this hop decided. */
    private Map<String, String> traceFacts(ProxyExchange e) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("fl", gateway.via());
        facts.put("h", e.hostName);
        facts.put("ip", e.facts().clientIp());
        long now = gateway.epochClock().getAsLong();
        facts.put("ts", (now / 1000) + "." + String.format(Locale.ROOT, "%03d", now % 1000));
        facts.put("visit_scheme", e.facts().scheme());
        facts.put("uag", e.facts().request().headers().get(HttpHeaderNames.USER_AGENT, ""));
        facts.put("http", "h2".equals(e.downstream().protocol()) ? "http/2"
                : e.facts().request().protocolVersion().text().toLowerCase(Locale.ROOT));
        facts.put("tls", e.downstream().tlsProtocol());
        facts.put("sni", e.downstream().sni());
        facts.put("site", e.site.name());
        facts.put("request_id", e.facts().requestId());
        return facts;
    }

    static RuleContext ruleContext(ProxyExchange e) {
        return new RuleContext(e.facts().clientIp(), e.hostName, e.facts().path(), e.facts().requestId(),
                e.facts().request().headers());
    }
}
