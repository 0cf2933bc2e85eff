package io.telltale.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WireMock as the origin: what the gateway forwards, as the origin records it, and WireMock's own faults. */
class WireMockOriginTest {
    @RegisterExtension
    static WireMockExtension origin = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private GatewayFixture gateway;

    @BeforeEach
    void start() throws InterruptedException {
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    debugToken: s3cret
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins: [{host: 127.0.0.1, httpPort: %d, responseTimeout: 1s}]
                """.formatted(origin.getPort()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private RawHttp.Response fetch(String path, String headers) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n" + headers + "\r\n").read();
        }
    }

    @Test
    void forwardsWithForwardingHeadersAndWithoutHopByHopOnesOrTheDebugToken() throws IOException {
        origin.stubFor(get("/hello").willReturn(aResponse().withStatus(200).withBody("hi")
                .withHeader("Cache-Control", "no-store")));

        RawHttp.Response response = fetch("/hello", "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n"
                + "X-Telltale-Debug: s3cret\r\nX-Kept: yes\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("hi");
        origin.verify(getRequestedFor(urlEqualTo("/hello"))
                .withHeader("Via", equalTo("1.1 telltale"))
                .withHeader("X-Forwarded-For", equalTo("127.0.0.1"))
                .withHeader("X-Forwarded-Proto", equalTo("http"))
                .withHeader("X-Forwarded-Host", equalTo("www.test"))
                .withHeader("X-Request-Id", equalTo(response.header("X-Request-Id")))
                .withHeader("X-Kept", equalTo("yes"))
                .withHeader("X-Secret-Hop", absent())
                .withHeader("X-Telltale-Debug", absent()));
    }

    @Test
    void namesAResetBeforeTheResponseOriginConnectionClosed() throws IOException {
        origin.stubFor(get("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        RawHttp.Response response = fetch("/reset", "");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionClosed");
    }

    @Test
    void answersABodyBrokenBeforeItsFirstGoodChunkWith502BecauseTheHeadWasHeldBack() throws IOException {
        // WireMock sends a 200 head, garbage and a close: the garbage may read as a bad chunk or an early end.
        origin.stubFor(get("/chunk").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        RawHttp.Response response = fetch("/chunk", "");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("X-Gateway-Error-Code")).isIn("OriginInvalidResponse", "OriginConnectionClosed");
    }

    @Test
    void namesASlowOriginOriginResponseTimeout() throws IOException {
        origin.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(4000)));

        RawHttp.Response response = fetch("/slow", "");

        assertThat(response.status()).isEqualTo(524);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("OriginResponseTimeout");
        assertThat(response.header("Proxy-Status")).contains("error=http_response_timeout");
    }
}
