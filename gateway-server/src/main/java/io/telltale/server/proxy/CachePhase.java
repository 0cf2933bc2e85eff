package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheResponse;
import io.telltale.core.cache.FillAbort;
import io.telltale.core.cache.SiteCache;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.server.local.GatewayResponses;

/**
 * The cache phase: a hit is answered here, a miss either leads a fill or follows another request's fill of
 * the same object, and everything else passes to the origin.
 */
final class CachePhase implements FillSubscription.Follower {
    private final Gateway gateway;
    private final ExchangeAnswers answers;
    private final ResponseHeads heads;
    private final ProxyPhases phases;

    CachePhase(Gateway gateway, ExchangeAnswers answers, ProxyPhases phases) {
        this.gateway = gateway;
        this.answers = answers;
        this.heads = new ResponseHeads(gateway, answers.via11());
        this.phases = phases;
    }

    /** Asks the site's cache; returns true when it answered or subscribed the request to another's fill. */
    boolean answered(ProxyExchange e) {
        SiteCache cache = e.site.cache();
        RequestFacts facts = e.facts();
        CacheLookup lookup = cache.lookup(facts.request().method(), facts.scheme(), e.hostName, facts.path(),
                facts.request().headers());
        e.lookup = lookup;
        switch (lookup.kind()) {
            case HIT, STALE -> {
                CacheResponse hit = lookup.serve();
                if (hit == null) {
                    // Evicted between the lookup and now: fetch it like a request the cache takes no part in.
                    e.lookup = null;
                    return false;
                }
                if (lookup.backgroundRevalidation()) {
                    CacheFill refresh = cache.tryFill(lookup);
                    if (refresh != null) {
                        phases.revalidate(e, lookup, refresh);
                    }
                }
                answers.serveStored(e, hit);
                return true;
            }
            case FAILURE -> {
                e.cacheStatus = lookup.cacheStatus();
                e.target = e.site.target(0, facts.viewerTls(), e.hostName);
                answers.fail(e, lookup.failure());
                return true;
            }
            case GATEWAY_TIMEOUT -> {
                e.cache = ExchangeAnswers.shortCache(lookup.cacheStatus().xCache());
                answers.send(e, GatewayResponses.onlyIfCachedMiss(facts.requestId(), lookup.cacheStatus()));
                return true;
            }
            case MISS, MUST_REVALIDATE -> {
                if (ColdRanges.applies(cache, lookup, facts.request().method(), ColdRanges.range(facts))) {
                    CacheFill whole = cache.tryFill(lookup);
                    if (whole != null) {
                        phases.revalidate(e, lookup, whole);
                    }
                    e.cacheStatus = lookup.cacheStatus();
                    e.lookup = null;
                    return false;
                }
                FillSubscription subscription = new FillSubscription(e, this);
                CacheFill fill = cache.join(lookup, e.downstream().loop(), subscription);
                if (fill == null) {
                    e.cache = "Miss";
                    e.subscription = subscription;
                    e.advance(ExchangeStage.FOLLOWING);
                    return true;
                }
                e.fill = fill;
                PeerHop.chooseOwner(e, gateway.cluster());
                return false;
            }
            default -> {
                e.cacheStatus = lookup.cacheStatus();
                return false;
            }
        }
    }

    @Override
    public void head(ProxyExchange e, HttpResponseStatus status, HttpHeaders headers) {
        e.advance(ExchangeStage.STREAMING);
        e.status = status.code();
        e.resumeValidator = status.code() == 200 ? resumeValidator(headers) : null;
        heads.decorateRelayed(e, headers);
        heads.frame(e, headers, !headers.contains(HttpHeaderNames.CONTENT_LENGTH));
        e.downstream().head(new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, headers));
    }

    /** Returns what If-Range may carry to ask for the rest of this very response (RFC 9110 §13.1.5), or null. */
    private static String resumeValidator(HttpHeaders headers) {
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            return etag;
        }
        // A weak ETag or a Last-Modified date cannot tell whether the bytes are the same: start no splice on them.
        return null;
    }

    @Override
    public void content(ProxyExchange e, ByteBuf content) {
        if (e.facts().head()) {
            content.release();
            return;
        }
        e.responseBytes += content.readableBytes();
        e.downstream().content(new DefaultHttpContent(content));
        e.downstream().flush();
    }

    @Override
    public void complete(ProxyExchange e) {
        e.timeline.done(gateway.nanoClock().getAsLong());
        e.advance(ExchangeStage.RESPONDED);
        e.downstream().last(LastHttpContent.EMPTY_LAST_CONTENT, written -> answers.responseWritten(e, written));
    }

    @Override
    public void abort(ProxyExchange e, FillAbort abort) {
        if (abort.headDelivered()) {
            if (abort.reason() == FillAbort.Reason.STALLED && e.resumeValidator != null && !e.facts().head()) {
                // The fill this response came from stalled: fetch the rest on its own, if it is still the same.
                e.lookup = null;
                e.resumeAt = e.responseBytes;
                phases.forward(e);
                return;
            }
            answers.abort(e, abort.failure() != null ? abort.failure() : Failure.of(FailureCode.ORIGIN_CONNECTION_CLOSED,
                    "The response this request was waiting for broke off.", Evidence.empty()));
            return;
        }
        if (abort.failure() != null || abort.originStatus() > 0) {
            CacheResponse stale = e.lookup.serveStaleOnError(abort.originStatus(),
                    abort.failure() == null ? null : abort.failure().code().code());
            if (stale != null) {
                if (abort.failure() != null) {
                    answers.journal(e, abort.failure(), false);
                }
                answers.serveStored(e, stale);
                return;
            }
            if (abort.failure() != null) {
                answers.fail(e, abort.failure());
                return;
            }
        }
        if (abort.reason() == FillAbort.Reason.ORIGIN_FAILED && !e.lookedAgain) {
            // The fill ended for its leading client's own reasons, not the origin's: look again, once, so that this
            // request leads the next fill and stores the object, or follows one that another request started.
            e.lookedAgain = true;
            if (!answered(e)) {
                phases.forward(e);
            }
            return;
        }
        // Timed out waiting, a different variant, or asked to retry: fetch it without the cache's help.
        e.lookup = null;
        phases.forward(e);
    }
}
