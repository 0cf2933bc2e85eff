package io.telltale.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyPhasesTest {
    private ExchangeFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private RecordingDownstream run(HttpRequest request) {
        RecordingDownstream downstream = new RecordingDownstream();
        ProxyExchange e = fixture.exchange(request, downstream);
        fixture.phases.start(e, null);
        assertThat(e.stage()).isEqualTo(ExchangeStage.DONE);
        return downstream;
    }

    @Test
    void answersAHostNoSiteNamesWith421AndServesTheNextRequest() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream d = run(ExchangeFixture.get("nosuch.test", "/"));

        assertThat(d.events).containsExactly("complete 421", "next");
        assertThat(d.response().headers().get("X-Gateway-Error-Code")).isEqualTo("HostNotConfigured");
        assertThat(d.response().headers().get("X-Cache")).isEqualTo("Error from gateway");
    }

    @Test
    void answersAnIpLiteralHostWith421WithoutADefaultSite() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream d = run(ExchangeFixture.get("127.0.0.1:8080", "/__telltale/trace"));

        assertThat(d.events).containsExactly("complete 421", "next");
        assertThat(d.response().headers().get("X-Gateway-Error-Code")).isEqualTo("HostNotConfigured");
        assertThat(fixture.gateway.journal().find(d.response().headers().get("X-Request-Id")).orElseThrow()
                .failure().detail()).contains("no site is the default");
    }

    @Test
    void routesAnyOtherHostAndIpLiteralsToTheDefaultSite() {
        fixture = ExchangeFixture.oneSite("""
                  - name: fallback
                    hosts: ['*']
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: 1025}]
                """);
        RecordingDownstream byAddress = run(ExchangeFixture.get("127.0.0.1", "/__telltale/trace"));
        RecordingDownstream byName = run(ExchangeFixture.get("other.test", "/__telltale/trace"));
        RecordingDownstream exact = run(ExchangeFixture.get("www.test", "/__telltale/trace"));

        assertThat(byAddress.events).containsExactly("complete 200", "next");
        assertThat(byAddress.body.toString()).contains("site=fallback").contains("h=127.0.0.1");
        assertThat(byName.body.toString()).contains("site=fallback");
        assertThat(exact.body.toString()).contains("site=www");
    }

    @Test
    void answersTheTracePageLocallyWithWhatTheClientSent() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream d = run(ExchangeFixture.get("www.test", "/__telltale/trace", "User-Agent", "probe/1"));

        assertThat(d.events).containsExactly("complete 200", "next");
        assertThat(d.body.toString()).contains("h=www.test\n").contains("ip=127.0.0.1\n").contains("uag=probe/1\n")
                .contains("visit_scheme=http\n").contains("tls=off\n").contains("site=www\n");
    }

    @Test
    void servesCataloguePagesOnEveryHost() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream d = run(ExchangeFixture.get("nosuch.test", "/__telltale/errors/OriginConnectionRefused"));

        assertThat(d.events).containsExactly("complete 200", "next");
        assertThat(d.body.toString()).contains("OriginConnectionRefused");
    }

    @Test
    void refusesARequestThatAlreadyPassedThroughThisGateway() {
        fixture = ExchangeFixture.oneSite("");
        String via = "1.1 " + fixture.gateway.via();
        RecordingDownstream d = run(ExchangeFixture.get("www.test", "/", "Via", via));

        assertThat(d.events).containsExactly("complete 508", "next");
        assertThat(d.response().headers().get("X-Gateway-Error-Code")).isEqualTo("LoopDetected");
    }

    @Test
    void closesAfterAnsweringARequestWhoseBodyWasNotRead() {
        fixture = ExchangeFixture.oneSite("");
        HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        post.headers().set("Host", "nosuch.test").set("Content-Length", "5");
        RecordingDownstream downstream = new RecordingDownstream();
        ProxyExchange e = fixture.exchange(post, downstream);

        fixture.phases.start(e, null);

        assertThat(downstream.events).containsExactly("complete 421", "close");
        assertThat(downstream.response().headers().get("Connection")).isEqualTo("close");
        assertThat(e.stage()).isEqualTo(ExchangeStage.DONE);
    }

    @Test
    void answersAHeaderSectionThatTimedOutWith408AndCloses() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream downstream = new RecordingDownstream();
        ProxyExchange e = fixture.exchange(null, downstream);

        fixture.phases.headerTimeout(e);

        assertThat(downstream.events).containsExactly("complete 408", "close");
        assertThat(downstream.response().headers().get("X-Gateway-Error-Code")).isEqualTo("RequestHeaderTimeout");
    }

    @Test
    void aFinishedExchangeIsFinishedOnce() {
        fixture = ExchangeFixture.oneSite("");
        RecordingDownstream downstream = new RecordingDownstream();
        ProxyExchange e = fixture.exchange(ExchangeFixture.get("nosuch.test", "/"), downstream);
        fixture.phases.start(e, null);

        fixture.phases.clientGone(e);

        assertThat(downstream.events).containsExactly("complete 421", "next");
        assertThat(e.stage()).isEqualTo(ExchangeStage.DONE);
    }
}
