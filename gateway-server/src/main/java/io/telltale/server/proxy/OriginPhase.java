package io.telltale.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.JournalEntry;
import io.telltale.core.http.HopByHop;
import io.telltale.core.http.Methods;
import io.telltale.server.balance.OriginGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The origin attempts of an exchange and the streaming of what the current one answers: each try is a new
 * {@link OriginAttempt}, the {@link RetryPolicy} says whether another follows, and the response head goes
 * through the site's rules, the cache and {@link ResponseHeads} before its body streams to the client.
 */
final class OriginPhase implements AttemptListener {

    private final Gateway gateway;
    private final ExchangeAnswers answers;
    private final ResponseHeads heads;
    private final InterimResponses interims;
    private final CacheAnswers cacheAnswers;
    private ProxyPhases phases;

    OriginPhase(Gateway gateway, ExchangeAnswers answers) {
        this.gateway = gateway;
        this.answers = answers;
        this.heads = new ResponseHeads(gateway, answers.via11());
        this.interims = new InterimResponses(gateway, answers, heads);
        this.cacheAnswers = new CacheAnswers(answers, e -> phases.forward(e));
    }

    /** Sets the phases a refetch without the cache's help starts again from. */
    void phases(ProxyPhases phases) {
        this.phases = phases;
    }

    /** Starts a new attempt at the exchange's current origin. */
    void attempt(ProxyExchange e, boolean fresh) {
        start(e, fresh, false);
    }

    private void start(ProxyExchange e, boolean fresh, boolean retry) {
        if (e.peer != null) {
            PeerHop.startAtOwner(e, gateway, this, fresh);
            return;
        }
        OriginGroup group = e.site.group();
        if (e.originOrder == null) {
            long now = gateway.nanoClock().getAsLong();
            e.originOrder = group.order(e.host, e.facts().path(), e.outbound.headers(), now);
            if (e.originOrder.length == 0) {
                giveUp(e, GroupFailures.noHealthyOrigin(e, now), e.stage().canAnswer());
                return;
            }
        }
        int index = e.originOrder[e.originPos];
        e.originIndex = index;
        e.target = e.site.target(index, e.facts().viewerTls(), e.hostName);
        Failure unsupported = Http2OriginUpgrade.refused(e, e.target);
        if (unsupported != null) {
            giveUp(e, unsupported, e.stage().canAnswer());
            return;
        }
        OriginRequests.forTarget(e);
        OriginAttempt attempt = new OriginAttempt(gateway, e, e.target, e.outbound, fresh, this);
        if (group.configured()) {
            group.started(index);
            attempt.whenEnded(retry ? () -> {
                group.ended(index);
                group.retryEnded();
            } : () -> group.ended(index));
        }
        e.attempt = attempt;
        e.timeline = attempt.timeline();
        if (e.resumeAt < 0) {
            e.advance(ExchangeStage.ATTEMPTING);
        }
        AttemptDeadline.arm(e, attempt, group.perTryTimeoutNanos(), gateway.nanoClock().getAsLong());
        attempt.start(e.site, e.downstream().loop(), e.requestComplete);
    }

    @Override
    public void connected(OriginAttempt attempt) {
        ProxyExchange e = attempt.exchange();
        if (e.expectContinue) {
            e.downstream().interim(
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        e.downstream().readRequest();
    }

    @Override
    public void bodyWritten(OriginAttempt attempt) {
        attempt.exchange().downstream().readRequest();
    }

    @Override
    public void interim(OriginAttempt attempt, HttpResponse interim) {
        interims.relay(attempt.exchange(), interim);
    }

    @Override
    public void switched(OriginAttempt attempt, HttpResponse switching) {
        interims.switched(attempt, switching);
    }

    @Override
    public void head(OriginAttempt attempt, HttpResponse response) {
        ProxyExchange e = attempt.exchange();
        int code = response.status().code();
        if (e.peer == null) {
            // A peer's answer says nothing of this site's origins' health.
            OriginHealth.heard(e, response, code, gateway);
        }
        if (e.failsOverOn(code) && e.site.group().tryRetry()) {
            // The group sends the request on; this origin's answer is dropped with its connection.
            e.tried(List.of(AttemptHistory.status(attempt, code, attempt.startNanos(), gateway.nanoClock().getAsLong())));
            e.dropAttempt();
            e.originPos++;
            retry(e, false);
            return;
        }
        Failure relayed = ShieldRelay.relayed(e, response.headers(), code, gateway.via());
        if (relayed != null) {
            e.dropAttempt();
            answers.failBeforeResponse(e, relayed);
            return;
        }
        gateway.metrics().originFirstByte(e.siteName(), e.timeline.firstByteMillis());
        if (e.upgrade != null) {
            // The origin answered the upgrade with an ordinary response: there is no tunnel to hand the client.
            Failure refused = Upgrades.refused(e, response, attempt.connection().hop());
            e.dropAttempt();
            answers.failBeforeResponse(e, refused);
            return;
        }
        if (!HttpUtil.isKeepAlive(response) || OriginHeadChecks.framesABodyThatCannotFollow(response)) {
            attempt.notReusable();
        }
        if (e.resumeAt >= 0) {
            resumed(e, response);
            return;
        }
        HttpHeaders h = response.headers();
        boolean hasLength = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        HopByHop.strip(h);
        if (!e.site.rules().isEmpty()) {
            Failure rejected = e.site.rules().applyOriginResponse(h, ProxyPhases.ruleContext(e));
            if (rejected != null) {
                // The origin's body is not wanted: this connection cannot be reused.
                e.dropAttempt();
                e.closeAfter = !e.requestComplete;
                answers.failBeforeResponse(e, rejected);
                return;
            }
        }
        if (e.site.cache() != null) {
            if (!Methods.isSafe(e.facts().request().method()) && code >= 200 && code < 400) {
                e.site.cache().invalidate(e.facts().request().method(), e.facts().scheme(), e.hostName,
                        e.facts().path(), e.facts().request().headers(), code, h);
            }
            if (e.fill == null) {
                // A response that passes the cache by still keeps the fields meant for this cache alone.
                e.site.cache().withholdTargetedFields(h);
            } else if (cacheAnswers.answeredInsteadOfFill(e, response, h, code)) {
                return;
            }
            e.cacheStatus = PeerHop.noted(e, e.cacheStatus);
        }
        e.status = code;
        heads.decorate(e, h, code, attempt.connection().resolved());
        String loop = SelfRedirect.cause(e, h, code);
        if (loop != null) {
            heads.warn(e, h, SelfRedirect.TOKEN, loop);
            answers.warn(e, new JournalEntry.Warning(SelfRedirect.TOKEN, loop, code));
        }
        if (e.trusted) {
            AttemptHistory.explainServed(e, attempt, h);
        }
        heads.frame(e, h, !hasLength);
        // Held until the body's first piece decodes: a body broken from its first byte still gets a 502.
        e.pendingHead = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), h);
    }

    /**
     * Takes the head of the origin's answer to a resumed fetch: its body continues the client's response only when it
     * is the range asked for of the same representation; anything else ends the client's connection.
     */
    private void resumed(ProxyExchange e, HttpResponse response) {
        String range = response.headers().get(HttpHeaderNames.CONTENT_RANGE);
        if (response.status().code() == 206 && range != null && range.startsWith("bytes " + e.resumeAt + "-")) {
            return;
        }
        e.dropAttempt();
        answers.abort(e, Failure.of(FailureCode.ORIGIN_CONNECTION_CLOSED,
                "The response this request followed stalled, and the origin did not send the rest of the same response.",
                Evidence.builder().put("resumeAt", e.resumeAt).put("originStatus", response.status().code()).build()));
    }

    @Override
    public void content(OriginAttempt attempt, HttpContent content) {
        ProxyExchange e = attempt.exchange();
        boolean last = content instanceof LastHttpContent;
        if (e.pendingHead != null && !last && !content.content().isReadable()) {
            // An empty piece tells nothing about the body yet: the head waits for bytes or the end.
            content.release();
            return;
        }
        CacheFill fill = e.fill;
        if (fill != null) {
            fill.content(content.content());
            if (last) {
                fill.complete();
                e.fill = null;
            }
        }
        if (e.pendingHead != null) {
            if (last && fill != null) {
                // The whole body came before the head left: now the head may say that the response is stored.
                heads.restate(e, e.pendingHead.headers(), PeerHop.noted(e, fill.cacheStatus()));
            }
            e.downstream().head(e.pendingHead);
            e.pendingHead = null;
            e.advance(ExchangeStage.STREAMING);
        }
        if (e.facts().head()) {
            // A HEAD fetched as a GET for the cache: the body was kept, not sent.
            content.release();
            if (!last) {
                return;
            }
            content = LastHttpContent.EMPTY_LAST_CONTENT;
        }
        e.responseBytes += content.content().readableBytes();
        if (!last) {
            e.downstream().content(content);
            return;
        }
        e.timeline.done(gateway.nanoClock().getAsLong());
        // The origin is done with this exchange: its connection can serve the next request now.
        e.attempt = null;
        attempt.finish();
        if (!e.requestComplete && e.facts().hasBody()) {
            // The origin answered before the request's end: the rest of the upload cannot be framed.
            e.closeAfter = true;
        }
        e.advance(ExchangeStage.RESPONDED);
        e.downstream().last((LastHttpContent) content, written -> answers.responseWritten(e, written));
    }

    @Override
    public void readComplete(OriginAttempt attempt) {
        ProxyExchange e = attempt.exchange();
        if (e.stage() != ExchangeStage.STREAMING) {
            return;
        }
        // One flush for everything a read cycle brought; the origin waits while the client falls behind, unless
        // what it still sends fits the share of the response buffers this exchange holds for its client.
        e.downstream().flush();
        if (!e.downstream().writable() && !heldForClient(e)) {
            attempt.clientBusy();
        }
    }

    /** Returns whether the gateway holds what the client has not taken yet, so the origin may read on. */
    private boolean heldForClient(ProxyExchange e) {
        long buffered = e.downstream().bufferedBytes();
        if (e.bufferShare == 0 && buffered != Long.MAX_VALUE) {
            e.bufferShare = gateway.responseBuffers().take();
        }
        return buffered <= e.bufferShare;
    }

    /** Reads on from the origin once a slow client took what was written. */
    void clientWritable(ProxyExchange e) {
        if (e.attempt != null) {
            e.attempt.clientCaughtUp();
        }
    }

    @Override
    public void failed(OriginAttempt attempt, Failure failure) {
        ProxyExchange e = attempt.exchange();
        e.attempt = null;
        long now = gateway.nanoClock().getAsLong();
        e.tried(AttemptHistory.failed(attempt, failure, attempt.startNanos(), now));
        if (e.peer != null) {
            if (e.stage().canAnswer() && e.pendingHead == null) {
                // A pooled connection the owner closed while idle says nothing of the owner: try a new one first.
                boolean stale = attempt.reused() && !e.retriedFresh;
                e.retriedFresh |= stale;
                if (!stale) {
                    PeerHop.ownerLost(e, gateway.cluster(), failure);
                }
                attempt(e, stale);
            } else {
                e.pendingHead = null;
                giveUp(e, failure, e.stage().canAnswer());
            }
            return;
        }
        if (failure.code() != FailureCode.ORIGIN_CONNECTION_LIMIT) {
            // The gateway's own connection limit says nothing of the origin's health.
            e.site.group().failed(e.originIndex, now);
        }
        boolean headTaken = e.pendingHead != null && e.fill != null;
        // Nothing reached the client yet: the failure can still be answered with its own status.
        e.pendingHead = null;
        boolean canAnswer = e.stage().canAnswer();
        RequestFacts facts = e.facts();
        RetryPolicy.Situation situation = new RetryPolicy.Situation(attempt.connected(), attempt.reused(), canAnswer,
                headTaken,
                Methods.isIdempotent(facts.request().method()), facts.hasBody(),
                e.originPos + 1 < e.originOrder.length, e.retriedFresh, e.site.group().configured(),
                e.originTries + 1 < attempt.target().origin().connectAttempts(),
                HttpMethod.GET.equals(facts.request().method()) || HttpMethod.HEAD.equals(facts.request().method()));
        switch (RetryPolicy.decide(failure, situation)) {
            case SAME_ORIGIN_AGAIN -> {
                e.originTries++;
                retryWithinBudget(e, true, failure, canAnswer);
            }
            case FRESH_CONNECTION -> {
                e.retriedFresh = true;
                retryWithinBudget(e, true, failure, canAnswer);
            }
            case NEXT_ORIGIN -> {
                e.originPos++;
                e.originTries = 0;
                retryWithinBudget(e, false, failure, canAnswer);
            }
            default -> giveUp(e, failure, canAnswer);
        }
    }

    private void retryWithinBudget(ProxyExchange e, boolean fresh, Failure failure, boolean canAnswer) {
        OriginGroup group = e.site.group();
        if (!group.configured()) {
            attempt(e, fresh);
        } else if (group.tryRetry()) {
            retry(e, fresh);
        } else {
            giveUp(e, GroupFailures.retryBudgetSpent(e, failure.code().code()), canAnswer);
        }
    }

    /** Starts a retry the group's budget granted, after the group's backoff. */
    private void retry(ProxyExchange e, boolean fresh) {
        OriginGroup group = e.site.group();
        long delay = group.backoffNanos(++e.retries);
        if (delay == 0) {
            start(e, fresh, true);
            return;
        }
        e.downstream().loop().schedule(() -> {
            if (e.stage() == ExchangeStage.DONE) {
                // The client went away while the retry waited.
                group.retryEnded();
                return;
            }
            start(e, fresh, true);
        }, delay, TimeUnit.NANOSECONDS);
    }

    private void giveUp(ProxyExchange e, Failure failure, boolean canAnswer) {
        if (!canAnswer) {
            if (e.fill != null) {
                // A cut body is never stored; waiting requests are told the response broke off.
                e.fill.fail(0, failure);
                e.fill = null;
            }
            answers.abort(e, failure);
            return;
        }
        if (!e.requestComplete) {
            e.closeAfter = true;
        }
        answers.failBeforeResponse(e, failure);
    }
}
