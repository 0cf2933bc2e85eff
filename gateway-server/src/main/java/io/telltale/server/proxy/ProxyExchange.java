package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.failure.AttemptRecord;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.RequestTimeline;
import io.telltale.core.http.Methods;
import io.telltale.core.origin.OriginTarget;
import io.telltale.server.trace.TraceParent;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and its response on their way through the phases. Only its downstream's event loop touches it.
 *
 * <p>Its progress is one {@link ExchangeStage}; everything else is what the phases learned on the way: the
 * site, the cache's answer, the current origin attempt and what was sent.
 */
public final class ProxyExchange {
    private final RequestFacts facts;
    private final Downstream downstream;
    private ExchangeStage stage = ExchangeStage.ROUTING;

    String host = "-";
    String hostName;
    Site site;
    boolean trusted;
    boolean keepAlive;
    boolean expectContinue;
    /** The connection cannot serve another request after this response (framing or an early answer). */
    boolean closeAfter;
    boolean requestComplete;
    long requestBodyBytes;

    CacheLookup lookup;
    CacheFill fill;
    CacheStatus cacheStatus;
    FillSubscription subscription;

    /** The protocol asked of the origin with Upgrade ({@code websocket}), or null for a plain request. */
    String upgrade;
    /** The origin switched protocols: the exchange is a tunnel now. */
    boolean tunnelled;

    HttpRequest outbound;
    OriginAttempt attempt;
    OriginTarget target;
    int originIndex;
    /** The site's origin indexes in the order this request tries them; null until the first attempt. */
    int[] originOrder;
    /** The position in {@link #originOrder} of the origin being tried. */
    int originPos;
    /** The attempts made at the origin being tried before the current one, within its {@code connectAttempts}. */
    int originTries;
    boolean retriedFresh;
    /** Whether this request already looked in the cache again after the fill it followed was given up. */
    boolean lookedAgain;
    /** A strong validator of the relayed response, so the rest of it can be fetched if its fill stalls; or null. */
    String resumeValidator;
    /** The body offset a resumed fetch continues the client's response from, or -1 for a whole response. */
    long resumeAt = -1;
    /** How many retries this exchange made within its origin group's budget. */
    int retries;
    /** The attempts that failed before the current one, in order; null while none has. */
    List<AttemptRecord> tried;
    /** The origin response's head, built but not yet written: it leaves with the first piece of the body. */
    HttpResponse pendingHead;
    RequestTimeline timeline;
    /** The bytes of the gateway's response buffers this exchange took for a slow client, to give back when done. */
    long bufferShare;

    /** The request came from another node of this gateway's cluster, with the peers' secret. */
    boolean fromPeer;
    /** The cluster node that owns this request's cache key and is asked instead of the origin, or null. */
    String peer;
    /** What this node's Cache-Status member adds about the cluster (the owner asked, or why it was not), or null. */
    String peerNote;
    /** What this hop relays of an origin shield's error, or null. */
    ShieldRelay shieldRelay;

    int status;
    long responseBytes;
    String cache = "-";
    Failure failure;
    /** Its place in a W3C trace, once known: when it first goes to an origin, or when its span is exported. */
    TraceParent trace;
    /** The gRPC call's deadline from its {@code grpc-timeout}, read at its first attempt; null before that. */
    GrpcDeadline grpcDeadline;

    /** Creates the exchange of a request that just arrived. */
    public ProxyExchange(RequestFacts facts, Downstream downstream) {
        this.facts = facts;
        this.downstream = downstream;
        this.timeline = new RequestTimeline(facts.startNanos());
        this.keepAlive = facts.request() != null && HttpUtil.isKeepAlive(facts.request());
        this.requestComplete = facts.request() == null || !facts.hasBody();
    }

    /** Returns what the request is. */
    public RequestFacts facts() {
        return facts;
    }

    /** Returns where the response goes. */
    public Downstream downstream() {
        return downstream;
    }

    /** Returns how far the response has come. */
    public ExchangeStage stage() {
        return stage;
    }

    /** Moves the exchange forward; it never goes back. */
    void advance(ExchangeStage next) {
        if (next.compareTo(stage) < 0) {
            throw new IllegalStateException("stage: " + next + " (expected: after " + stage + ")");
        }
        stage = next;
    }

    /** Returns whether the request's body was read to its end (or it had none). */
    public boolean requestComplete() {
        return requestComplete;
    }

    /** Gives up the origin connection mid-response: it cannot serve another request. */
    void dropAttempt() {
        if (attempt != null) {
            attempt.abandon();
            attempt = null;
        }
    }

    /** Returns whether an origin's status sends this request on to the group's next origin. */
    boolean failsOverOn(int code) {
        return peer == null && site.group().failsOverOn(code) && originPos + 1 < originOrder.length
                && Methods.isIdempotent(facts().request().method()) && !facts().hasBody();
    }

    /** Asks for the connection to close once this exchange's response is out (the gateway is stopping). */
    public void drain() {
        keepAlive = false;
    }

    /** Records attempts that failed, in order. */
    void tried(List<AttemptRecord> records) {
        if (tried == null) {
            tried = new ArrayList<>(records.size() + 2);
        }
        tried.addAll(records);
    }

    /** Returns the attempts that failed so far, in order. */
    List<AttemptRecord> triedSoFar() {
        return tried == null ? List.of() : List.copyOf(tried);
    }

    /** Returns the site's name for metrics and logs. */
    String siteName() {
        return site == null ? "-" : site.name();
    }

    /** Returns the origin's next hop for metrics and errors, or null before one was chosen. */
    String nextHop() {
        return target == null ? null : target.nextHop();
    }
}
