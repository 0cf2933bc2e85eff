package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheResponse;
import io.telltale.core.cache.StoredFile;
import io.telltale.core.failure.ErrorContext;
import io.telltale.core.failure.ErrorResponseRenderer;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.JournalEntry;
import io.telltale.core.failure.ProfileAnswer;
import io.telltale.core.failure.RenderedError;
import io.telltale.core.failure.RequestTimeline;
import io.telltale.server.local.GatewayResponses;
import io.telltale.server.observe.AccessRecord;
import io.telltale.server.trace.ExchangeSpans;
import io.telltale.server.trace.ExchangeSummary;
import io.telltale.server.trace.TraceParent;
import io.telltale.server.tunnel.TunnelOutcome;
import java.time.Instant;

/**
 * The gateway's own complete answers (its explained errors, stored responses, local pages) and the one place
 * an exchange finishes: it logs, journals, counts and decides whether the connection serves another request.
 */
final class ExchangeAnswers {
    private static final AsciiString CACHE_STATUS = AsciiString.cached("cache-status");
    private static final AsciiString SERVED_METHODS = AsciiString.cached("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final short COLON_SPACE = (':' << 8) | ' ';

    private final Gateway gateway;
    private final AsciiString via11;

    ExchangeAnswers(Gateway gateway) {
        this.gateway = gateway;
        this.via11 = AsciiString.cached("1.1 " + gateway.via());
    }

    /** Returns the Via member this gateway adds to responses. */
    AsciiString via11() {
        return via11;
    }

    /**
     * Answers a failure that happened before any response byte was sent: with a stale copy when the cache may
     * serve one (the failure is still journaled), otherwise with the explained error. Either way the failure is
     * kept briefly beside the stored object, so that a storm of requests does not hammer a failing origin.
     */
    void failBeforeResponse(ProxyExchange e, Failure failure) {
        CacheFill fill = e.fill;
        if (fill != null) {
            e.fill = null;
            fill.fail(0, failure);
            if (!e.facts().background()) {
                // Kept beside any stored copy, so that until the next probe the requests after this one get that
                // copy or this error without going to the origin; a background revalidation keeps no one away.
                e.site.cache().storeFailure(e.lookup, failure);
            }
            CacheResponse stale = e.lookup.serveStaleOnError(0, failure.code().code());
            if (stale != null) {
                journal(e, failure, false);
                serveStored(e, stale);
                return;
            }
        }
        fail(e, failure);
    }

    /** Answers a failure with its explained error while that is still possible, else ends the connection. */
    void failOrAbort(ProxyExchange e, Failure failure) {
        if (e.stage().canAnswer()) {
            fail(e, failure);
        } else {
            abort(e, failure);
        }
    }

    /** Answers with the failure's explained error, in the client's format. */
    void fail(ProxyExchange e, Failure failure) {
        e.failure = failure;
        e.cache = "Error";
        e.timeline.done(gateway.nanoClock().getAsLong());
        journal(e, failure, false);
        RequestFacts facts = e.facts();
        String accept = facts.request() == null ? null : facts.request().headers().get(HttpHeaderNames.ACCEPT);
        RenderedError rendered = ErrorResponseRenderer.render(failure, new ErrorContext(facts.requestId(),
                e.site == null ? null : e.site.name(), e.nextHop(), facts.method(), e.host, facts.path(),
                e.timeline, e.trusted, accept, gateway.via(), null,
                Instant.ofEpochMilli(gateway.epochClock().getAsLong()), e.triedSoFar()));
        if (GrpcAnswers.isGrpc(facts.request())) {
            complete(e, GrpcAnswers.trailersOnly(GatewayResponses.toResponse(rendered), failure));
            return;
        }
        RenderedError relayed = ShieldRelay.decorate(e, rendered, gateway.via());
        send(e, e.site == null ? relayed : ProfileAnswer.apply(relayed, e.site.config().profile(), failure.code()));
    }

    /** Sends one of the gateway's own rendered answers. */
    void send(ProxyExchange e, RenderedError rendered) {
        FullHttpResponse response = GatewayResponses.toResponse(rendered);
        if (response.status().code() == HttpResponseStatus.METHOD_NOT_ALLOWED.code()) {
            // RFC 9110 §15.5.6: a 405 lists the methods that are served.
            response.headers().set(HttpHeaderNames.ALLOW, SERVED_METHODS);
        }
        if (e.cacheStatus != null && e.lookup != null && e.lookup.kind() == CacheLookup.Kind.FAILURE) {
            response.headers().set(CACHE_STATUS, e.cacheStatus.cacheStatus());
        }
        complete(e, response);
    }

    /**
     * Writes a stored response: its body is a retained view of the stored buffer, or a part of an object file sent
     * without copying it into memory (a file region; chunked reads under TLS), never a copy.
     */
    void serveStored(ProxyExchange e, CacheResponse stored) {
        StoredFile file = stored.takeFile();
        if (file != null && !e.downstream().writesEncoded()) {
            // A client protocol with its own framing (HTTP/2) takes the file in pieces at its own pace.
            new DiskHitStream(this, gateway).start(e, stored, file);
            return;
        }
        ByteBuf head = e.downstream().writesEncoded() ? stored.takeEncodedHead() : null;
        if (head != null) {
            serveEncoded(e, stored, head, file, true);
            return;
        }
        if (file != null) {
            serveEncoded(e, stored, StoredHeads.encode(stored.status(), stored.headers()), file, false);
            return;
        }
        FullHttpResponse response = stored.toHttpResponse(HttpVersion.HTTP_1_1);
        e.cache = shortCache(stored.cacheStatus().xCache());
        response.headers().add(HttpHeaderNames.VIA, via11);
        response.headers().set(OriginRequests.X_REQUEST_ID, e.facts().requestId());
        complete(e, response);
    }

    /**
     * Writes a stored response as its head in wire form, this response's own fields (the hit's too when the head
     * is the stored one, {@code hitFields}), and the stored body or file part.
     */
    private void serveEncoded(ProxyExchange e, CacheResponse stored, ByteBuf head, StoredFile file, boolean hitFields) {
        e.cache = shortCache(stored.cacheStatus().xCache());
        e.status = stored.status().code();
        e.advance(ExchangeStage.RESPONDED);
        e.timeline.done(gateway.nanoClock().getAsLong());
        if (e.closeAfter || !e.keepAlive || gateway.draining().get()) {
            e.closeAfter = true;
        }
        ByteBuf body = stored.body();
        e.responseBytes = file != null ? file.count() : body.readableBytes();
        ByteBuf fields = ByteBufAllocator.DEFAULT.directBuffer(256);
        if (hitFields) {
            field(fields, "age", stored.age());
            field(fields, "x-cache", stored.cacheStatus().xCache());
            field(fields, "cache-status", stored.cacheStatus().cacheStatus());
        }
        field(fields, "via", via11);
        field(fields, "x-request-id", e.facts().requestId());
        if (e.closeAfter) {
            field(fields, "connection", "close");
        }
        fields.writeShort(CRLF);
        EncodedResponse response = file == null ? new EncodedResponse(Unpooled.wrappedBuffer(head, fields, body))
                : new EncodedResponse(Unpooled.wrappedBuffer(head, fields), StoredHeads.fileBody(file, e.facts().viewerTls()));
        e.downstream().encoded(response, written -> responseWritten(e, written));
    }

    private static void field(ByteBuf out, String name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeShort(COLON_SPACE);
        ByteBufUtil.writeAscii(out, value);
        out.writeShort(CRLF);
    }

    private void complete(ProxyExchange e, FullHttpResponse response) {
        e.status = response.status().code();
        e.advance(ExchangeStage.RESPONDED);
        e.timeline.done(gateway.nanoClock().getAsLong());
        if (e.facts().head()) {
            response.content().clear();
        }
        e.responseBytes = response.content().readableBytes();
        if (e.closeAfter || !e.keepAlive || gateway.draining().get()) {
            e.closeAfter = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        e.downstream().complete(response, written -> responseWritten(e, written));
    }

    /** Carries on after a response's last byte was written: the next request, the rest of this one, or close. */
    void responseWritten(ProxyExchange e, boolean written) {
        if (e.stage() == ExchangeStage.DONE) {
            return;
        }
        if (!written || e.closeAfter || !e.keepAlive) {
            finish(e);
            e.downstream().close();
        } else if (e.requestComplete) {
            finishAndContinue(e);
        } else {
            // The response went out before the request's end (an early answer): read the rest and drop it.
            e.downstream().readRequest();
        }
    }

    /** Accounts for a piece of request body that no origin takes, because the request was answered without it. */
    void bodyDropped(ProxyExchange e, boolean unusable, boolean last) {
        if (unusable) {
            // Its answer is already out: a second one cannot be sent, so the connection ends.
            e.requestComplete = true;
            finish(e);
            e.downstream().close();
        } else if (last) {
            e.requestComplete = true;
            if (e.stage() == ExchangeStage.RESPONDED) {
                finishAndContinue(e);
            }
        } else {
            e.downstream().readRequest();
        }
    }

    private void finishAndContinue(ProxyExchange e) {
        finish(e);
        if (gateway.draining().get()) {
            e.downstream().close();
        } else {
            e.downstream().next();
        }
    }

    /** Ends a response that already started: nothing can be said to the client but the connection's end. */
    void abort(ProxyExchange e, Failure failure) {
        e.failure = failure;
        e.closeAfter = true;
        journal(e, failure, true);
        finish(e);
        e.downstream().close();
    }

    /** Ends an exchange whose client connection closed. */
    void clientGone(ProxyExchange e) {
        finish(e);
    }

    /**
     * Finishes an exchange whose connections were a tunnel, once both closed: a cut is journaled (the client had
     * its 101 long ago), and the line and the counts carry the bytes each way.
     */
    void tunnelClosed(ProxyExchange e, TunnelOutcome outcome) {
        e.responseBytes = outcome.bytesToClient();
        e.requestBodyBytes = outcome.bytesToOrigin();
        e.timeline.done(gateway.nanoClock().getAsLong());
        if (outcome.cut()) {
            Failure cut = Upgrades.cut(e, outcome);
            e.failure = cut;
            journal(e, cut, true);
        }
        gateway.metrics().tunnelClosed(e.siteName(), Upgrades.label(e.upgrade), outcome.bytesToOrigin(),
                outcome.bytesToClient());
        finish(e);
    }

    /** Records a warning about a relayed response in the journal. */
    void warn(ProxyExchange e, JournalEntry.Warning warning) {
        RequestFacts facts = e.facts();
        gateway.journal().record(new JournalEntry(facts.requestId(), Instant.ofEpochMilli(facts.epochMillis()),
                e.site == null ? null : e.site.name(), e.nextHop(), facts.method(), e.host, facts.path(), null,
                JournalEntry.Timings.of(e.timeline), false, warning, e.triedSoFar()));
    }

    /** Records a failure in the journal and the metrics. */
    void journal(ProxyExchange e, Failure failure, boolean responseStarted) {
        RequestFacts facts = e.facts();
        gateway.metrics().failure(failure.code().code(), e.siteName(), e.nextHop() == null ? "-" : e.nextHop());
        gateway.journal().record(new JournalEntry(facts.requestId(), Instant.ofEpochMilli(facts.epochMillis()),
                e.site == null ? null : e.site.name(), e.nextHop(), facts.method(), e.host, facts.path(), failure,
                JournalEntry.Timings.of(e.timeline), responseStarted, null, e.triedSoFar()));
    }

    /** Finishes an exchange once: cuts off its attempt and subscription, then logs and counts it. */
    void finish(ProxyExchange e) {
        if (e.stage() == ExchangeStage.DONE) {
            return;
        }
        e.advance(ExchangeStage.DONE);
        gateway.responseBuffers().give(e.bufferShare);
        e.bufferShare = 0;
        if (e.attempt != null) {
            e.attempt.abandon();
            e.attempt = null;
        }
        if (e.subscription != null) {
            e.subscription.cancel();
            e.subscription = null;
        }
        if (e.fill != null) {
            // A fill this exchange led and did not complete (its client left, its upload was refused): the
            // requests waiting on it fetch the object themselves, and the key is free for the next fill. The
            // failure is this client's own (an origin's was given to the fill where it happened), so the waiting
            // requests are not told it: one of them would otherwise get another client's 413.
            e.fill.fail(0, null);
            e.fill = null;
        }
        String code = e.failure == null ? "-" : e.failure.code().code();
        String protocol = e.tunnelled ? Upgrades.label(e.upgrade)
                : GrpcAnswers.isGrpc(e.facts().request()) ? GrpcAnswers.PROTOCOL : e.downstream().protocol();
        gateway.metrics().request(protocol, e.siteName(), e.status, code);
        RequestTimeline t = e.timeline;
        RequestFacts facts = e.facts();
        long total = (gateway.nanoClock().getAsLong() - facts.startNanos()) / 1_000_000;
        ExchangeSpans spans = gateway.spans();
        if (spans != null && e.trace == null) {
            // An exchange that never reached an origin gets its place in the trace only now.
            e.trace = TraceParent.continueOrStart(facts.request() == null ? null
                    : facts.request().headers().get(TraceParent.HEADER));
        }
        gateway.accessLog().log(new AccessRecord(facts.epochMillis(), facts.requestId(), facts.clientIp(), e.host,
                facts.method(), facts.path(), protocol, e.status, e.requestBodyBytes, e.responseBytes, total, e.cache,
                code, t.dnsMillis(), t.connectMillis(), t.tlsMillis(), t.firstByteMillis(), facts.background(),
                e.trace == null ? null : e.trace.traceId()));
        if (spans != null) {
            spans.export(e.trace, new ExchangeSummary(facts.epochMillis(), total, facts.requestId(), facts.clientIp(),
                    e.host, facts.method(), facts.path(), protocol, e.siteName(), e.status, e.cache,
                    e.failure == null ? null : code), t);
        }
    }

    /** Returns the first word of an X-Cache value ({@code Hit}, {@code Miss}, ...) for the access log. */
    static String shortCache(String xCache) {
        int space = xCache.indexOf(' ');
        return space < 0 ? xCache : xCache.substring(0, space);
    }
}
