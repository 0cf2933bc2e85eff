package io.telltale.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.failure.Failure;
import io.telltale.core.http.HopByHop;
import io.telltale.server.tunnel.Tunnel;

/** What an origin's interim responses become: 1xx relayed to the client, and a 101 turned into a tunnel. */
final class InterimResponses {
    private final Gateway gateway;
    private final ExchangeAnswers answers;
    private final ResponseHeads heads;

    InterimResponses(Gateway gateway, ExchangeAnswers answers, ResponseHeads heads) {
        this.gateway = gateway;
        this.answers = answers;
        this.heads = heads;
    }

    /** Relays an interim (1xx) response to the client, except those the gateway answers or cannot relay. */
    void relay(ProxyExchange e, HttpResponse interim) {
        int code = interim.status().code();
        // 100 Continue was the gateway's own answer to Expect; 101 needs a tunnel; HTTP/1.0 knows no 1xx.
        if (code == 100 || code == 101 || !e.facts().http11()) {
            return;
        }
        HttpHeaders h = new DefaultHttpHeaders().add(interim.headers());
        HopByHop.strip(h);
        e.downstream().interim(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, interim.status(),
                Unpooled.EMPTY_BUFFER, h, new DefaultHttpHeaders()));
    }

    /** Takes an origin's 101: the client gets it and the two connections become one tunnel, or the switch is refused. */
    void switched(OriginAttempt attempt, HttpResponse switching) {
        ProxyExchange e = attempt.exchange();
        gateway.metrics().originFirstByte(e.siteName(), e.timeline.firstByteMillis());
        if (!Upgrades.switchesTo(switching, e.upgrade)) {
            Failure wrong = Upgrades.wrongProtocol(e, switching, attempt.connection().hop());
            e.dropAttempt();
            answers.failBeforeResponse(e, wrong);
            return;
        }
        HttpHeaders h = switching.headers();
        String protocol = h.get(HttpHeaderNames.UPGRADE);
        HopByHop.strip(h);
        if (!e.site.rules().isEmpty()) {
            Failure rejected = e.site.rules().applyOriginResponse(h, ProxyPhases.ruleContext(e));
            if (rejected != null) {
                e.dropAttempt();
                answers.failBeforeResponse(e, rejected);
                return;
            }
        }
        h.set(HttpHeaderNames.UPGRADE, protocol);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        e.status = e.downstream().tunnelStatus();
        heads.decorate(e, h, 101, attempt.connection().resolved());
        e.tunnelled = true;
        gateway.metrics().tunnelOpened();
        e.attempt = null;
        e.advance(ExchangeStage.STREAMING);
        Tunnel tunnel = new Tunnel(e.site.config().upgrades().idleTimeout(), gateway.nanoClock(),
                gateway.draining()::get, outcome -> answers.tunnelClosed(e, outcome));
        e.downstream().upgrade(new DefaultHttpResponse(HttpVersion.HTTP_1_1, switching.status(), h),
                tunnel.clientEnd());
        attempt.upgrade(tunnel.originEnd());
        tunnel.start();
    }
}
