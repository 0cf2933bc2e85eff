package io.telltale.server.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BrokenOriginTest {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: lab.test\r\n\r\n";

    @Test
    void healthyAnswersTwoCacheableRequestsWhenTheConnectionIsKeptAlive() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HEALTHY); OriginClient client = new OriginClient(origin)) {
            OriginClient.Response first = client.get("/a").read(false);
            OriginClient.Response second = client.get("/b").read(false);

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Cache-Control")).isEqualTo("max-age=60");
            assertThat(first.body()).isEqualTo("200 OK from the lab origin healthy\n");
            assertThat(first.header("Content-Length")).isEqualTo(String.valueOf(first.body().length()));
            assertThat(second.status()).isEqualTo(200);
            assertThat(origin.acceptedConnections()).isEqualTo(1);
            assertThat(origin.receivedRequests()).isEqualTo(2);
        }
    }

    @Test
    void healthyAnswersTheAskedStatusWhenThePathIsStatus() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HEALTHY); OriginClient client = new OriginClient(origin)) {
            assertThat(client.get("/status/404").read(false).status()).isEqualTo(404);
            assertThat(client.get("/status/503?x=1").read(false).body()).isEqualTo("503 Service Unavailable from the lab origin healthy\n");
            assertThat(client.get("/status/abc").read(false).status()).isEqualTo(400);
            assertThat(client.get("/status/700").read(false).status()).isEqualTo(400);
        }
    }

    @Test
    void healthySendsNoBodyWhenTheRequestIsHead() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HEALTHY); OriginClient client = new OriginClient(origin)) {
            OriginClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: lab.test\r\n\r\n").read(true);
            // Were a body sent after the HEAD answer, this would read it as the next status line.
            OriginClient.Response next = client.get("/").read(false);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(next.body().length()));
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void healthyClosesAfterTheAnswerWhenTheClientAsksToClose() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HEALTHY); OriginClient client = new OriginClient(origin)) {
            client.send("GET / HTTP/1.1\r\nHost: lab.test\r\nConnection: close\r\n\r\n");

            assertThat(client.read(false).status()).isEqualTo(200);
            assertThat(client.input().read()).isEqualTo(-1);
        }
    }

    @Test
    void refusedRefusesWhenConnectingAndKeepsThePortFromOtherListeners() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.REFUSED); Socket socket = new Socket()) {
            Throwable connect = catchThrowable(() -> socket.connect(origin.address(), 2000));
            Throwable bind = catchThrowable(() -> new ServerSocket(origin.port(), 1, origin.address().getAddress()).close());

            assertThat(connect).isInstanceOf(ConnectException.class);
            assertThat(bind).isInstanceOf(BindException.class);
            assertThat(origin.acceptedConnections()).isZero();
        }
    }

    @Test
    void blackholeTimesOutWhenConnecting() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.BLACKHOLE); Socket socket = new Socket()) {
            Throwable connect = catchThrowable(() -> socket.connect(origin.address(), 300));

            assertThat(connect).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void silentSendsNothingWhenTheRequestWasRead() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.SILENT); OriginClient client = new OriginClient(origin)) {
            client.send(REQUEST);
            await().atMost(Duration.ofSeconds(5)).until(() -> origin.receivedRequests() == 1);

            assertThat(catchThrowable(() -> client.timeout(300).input().read())).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closeBeforeResponseClosesWithoutAByteWhenTheRequestWasRead() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.CLOSE_BEFORE_RESPONSE); OriginClient client = new OriginClient(origin)) {
            assertThat(client.send(REQUEST).readToEnd()).isEmpty();
            assertThat(origin.receivedRequests()).isEqualTo(1);
        }
    }

    @Test
    void closeMidHeadersSendsHalfAStatusLineThenCloses() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.CLOSE_MID_HEADERS); OriginClient client = new OriginClient(origin)) {
            assertThat(client.send(REQUEST).readToEnd()).isEqualTo("HTTP/1.1 200 O");
        }
    }

    @Test
    void garbageStatusSendsAStatusLineWithoutACode() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.GARBAGE_STATUS); OriginClient client = new OriginClient(origin)) {
            assertThat(client.send(REQUEST).readToEnd()).startsWith("HTTP/1.1 abc\r\n");
        }
    }

    @Test
    void brokenChunkingSendsANonHexChunkSize() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.BROKEN_CHUNKING); OriginClient client = new OriginClient(origin)) {
            String answer = client.send(REQUEST).readToEnd();

            assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked\r\n");
            assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).startsWith("zz\r\n");
        }
    }

    @Test
    void hugeHeadersSendsA128KibHeaderSection() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.HUGE_HEADERS); OriginClient client = new OriginClient(origin)) {
            String answer = client.send(REQUEST).readToEnd();
            String section = answer.substring(answer.indexOf("\r\n") + 2, answer.indexOf("\r\n\r\n") + 2);

            assertThat(section.length()).isGreaterThanOrEqualTo(128 * 1024);
            assertThat(section.lines().filter(l -> l.startsWith("X-Lab-Filler-"))).hasSize(128)
                    .allSatisfy(l -> assertThat(l).hasSize(1022));
        }
    }

    @Test
    void resetMidBodyResetsAfterPartOfTheAnnouncedBody() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.RESET_MID_BODY); OriginClient client = new OriginClient(origin)) {
            client.send(REQUEST);
            assertThat(client.line()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            do {
                line = client.line();
            } while (!line.isEmpty());
            InputStream in = client.input();
            long body = 0;
            Throwable reset = null;
            try {
                for (int n = in.read(new byte[8192]); n != -1; n = in.read(new byte[8192])) {
                    body += n;
                }
            } catch (IOException e) {
                reset = e;
            }

            assertThat(reset).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(body).isPositive().isLessThanOrEqualTo(RawAnswers.RESET_SENT_LENGTH);
        }
    }

    @Test
    void origin500AnswersWithABodyAndKeepsTheConnection() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.ORIGIN_500); OriginClient client = new OriginClient(origin)) {
            OriginClient.Response error = client.get("/").read(false);
            OriginClient.Response unavailable = client.get("/status/503").read(false);

            assertThat(error.status()).isEqualTo(500);
            assertThat(error.body()).isEqualTo("500 Internal Server Error from the lab origin origin_500\n");
            assertThat(error.header("Cache-Control")).isNull();
            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(origin.acceptedConnections()).isEqualTo(1);
        }
    }
}
