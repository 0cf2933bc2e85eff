package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyTest {
    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    @Test
    void forwardsToTheSiteNamedByHostWithForwardingHeaders() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /echo?q=1 HTTP/1.1\r\nHost: WWW.test:8080\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{16}");
            assertThat(response.header("Via")).isEqualTo("1.1 telltale");
            assertThat(response.header("X-Cache")).isEqualTo("Miss from gateway");
            TestOrigin.Request seen = origin.requests().get(0);
            assertThat(seen.target()).isEqualTo("/echo?q=1");
            assertThat(seen.header("host")).isEqualTo("127.0.0.1:" + origin.port());
            assertThat(seen.header("via")).isEqualTo("1.1 telltale");
            assertThat(seen.header("x-forwarded-for")).isEqualTo("127.0.0.1");
            assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
            assertThat(seen.header("x-forwarded-host")).isEqualTo("WWW.test:8080");
            assertThat(seen.header("x-request-id")).isEqualTo(response.header("X-Request-Id"));
        }
    }

    @Test
    void routesWildcardHostsOneLabelDeep() throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("GET /echo HTTP/1.1\r\nHost: a.wild.test\r\n\r\n").read().status()).isEqualTo(200);
            RawHttp.Response deeper = client.send("GET /echo HTTP/1.1\r\nHost: a.b.wild.test\r\n\r\n").read();
            assertThat(deeper.status()).isEqualTo(421);
            assertThat(deeper.header("X-Gateway-Error-Code")).isEqualTo("HostNotConfigured");
        }
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void answersUnknownHostsAndIpLiteralsItselfWith421() throws IOException {
        try (RawHttp client = gateway.client()) {
            for (String host : new String[] {"nosuch.test", "127.0.0.1:" + gateway.port(), "[::1]"}) {
                RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
                assertThat(response.status()).as(host).isEqualTo(421);
                assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("HostNotConfigured");
                assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
                assertThat(response.header("Proxy-Status")).contains("error=destination_not_found");
            }
        }
        assertThat(origin.connections()).isZero();
    }

    @Test
    void removesHopByHopHeadersBothWays() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n"
                    + "Connection: keep-alive, X-Client-Hop\r\nX-Client-Hop: secret\r\nKeep-Alive: timeout=5\r\n"
                    + "TE: trailers\r\nProxy-Authorization: Basic Zm9v\r\nX-Kept: yes\r\n\r\n").read();

            TestOrigin.Request seen = origin.requests().get(0);
            assertThat(seen.headers()).doesNotContainKeys("x-client-hop", "keep-alive", "te", "proxy-authorization");
            assertThat(seen.header("connection")).isNull();
            assertThat(seen.header("x-kept")).isEqualTo("yes");
            assertThat(response.headers()).doesNotContainKeys("x-origin-hop", "keep-alive");
            assertThat(response.header("connection")).isNull();
        }
    }

    @Test
    void reusesOneOriginConnectionForSequentialRequests() throws IOException {
        try (RawHttp client = gateway.client()) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
        try (RawHttp another = gateway.client()) {
            assertThat(another.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(origin.requests()).hasSize(6);
        // Two client connections may sit on two event loops, each with its own pool.
        assertThat(origin.connections()).isBetween(1, 2);
    }

    @Test
    void retriesOnceOnAFreshConnectionWhenAPooledOneWasClosedByTheOrigin() throws IOException {
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("GET /first-only HTTP/1.1\r\nHost: www.test\r\n\r\n").read().bodyText())
                    .isEqualTo("first");
            RawHttp.Response retried = client.send("GET /first-only HTTP/1.1\r\nHost: www.test\r\n\r\n").read();

            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.bodyText()).isEqualTo("first");
        }
        assertThat(origin.connections()).isEqualTo(2);
        assertThat(origin.requests()).hasSize(3);
    }

    @Test
    void doesNotRetryARequestWithABody() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("GET /first-only HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            RawHttp.Response response = client.send(
                    "POST /first-only HTTP/1.1\r\nHost: www.test\r\nContent-Length: 2\r\n\r\nhi").read();

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionClosed");
        }
        assertThat(origin.connections()).isEqualTo(1);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("GET /echo/1 HTTP/1.1\r\nHost: www.test\r\n\r\n"
                    + "GET /echo/2 HTTP/1.1\r\nHost: www.test\r\n\r\n"
                    + "GET /echo/3 HTTP/1.1\r\nHost: nosuch.test\r\n\r\n"
                    + "GET /echo/4 HTTP/1.1\r\nHost: www.test\r\n\r\n");
            assertThat(client.read().bodyText()).startsWith("GET /echo/1\n");
            assertThat(client.read().bodyText()).startsWith("GET /echo/2\n");
            assertThat(client.read().status()).isEqualTo(421);
            assertThat(client.read().bodyText()).startsWith("GET /echo/4\n");
        }
    }

    @Test
    void answersHeadWithHeadersOnly() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response head = client.send("HEAD /length/5000 HTTP/1.1\r\nHost: www.test\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("5000");
            RawHttp.Response chunkedHead = client.send("HEAD /bytes/10 HTTP/1.1\r\nHost: www.test\r\n\r\n").read(true);
            assertThat(chunkedHead.status()).isEqualTo(200);
            RawHttp.Response after = client.send("GET /length/3 HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(after.bodyText()).isEqualTo("abc");
        }
    }

    @Test
    void sendsContinueThenStreamsTheBodyWhenExpected() throws IOException {
        try (RawHttp client = gateway.client()) {
            client.send("POST /upload HTTP/1.1\r\nHost: www.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(100);
            RawHttp.Response response = client.send("hello").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("5");
        }
        assertThat(origin.requests().get(0).header("expect")).isNull();
    }

    @Test
    void forwardsChunkedUploadsAndRelaysChunkedDownloads() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response upload = client.send("POST /upload HTTP/1.1\r\nHost: www.test\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n").read();
            assertThat(upload.bodyText()).isEqualTo("8");
            RawHttp.Response download = client.send("GET /bytes/100000 HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(download.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(download.body()).hasSize(100000);
        }
    }

    @Test
    void closesAfterAnHttp10Exchange() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET /bytes/10 HTTP/1.0\r\nHost: www.test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abcdefghij");
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void refusesARequestThatAlreadyPassedThroughTheGateway() throws IOException {
        try (RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send(
                    "GET / HTTP/1.1\r\nHost: www.test\r\nVia: 1.1 other, 1.1 telltale\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(508);
            assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("LoopDetected");
            RawHttp.Response cdnLoop = client.send("GET / HTTP/1.1\r\nHost: www.test\r\nCDN-Loop: telltale\r\n\r\n").read();
            assertThat(cdnLoop.status()).isEqualTo(508);
        }
        assertThat(origin.connections()).isZero();
    }
}
