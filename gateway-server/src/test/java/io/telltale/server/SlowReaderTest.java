package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that do not read their uncacheable responses (issue 19): with response buffers the gateway takes the rest
 * of each response off the origin and frees its connection for everyone else; without, each such client holds one.
 */
class SlowReaderTest {
    private static final int BODY = 6 * 1024 * 1024;

    private final List<Socket> readers = new ArrayList<>();
    private TestOrigin origin;
    private GatewayFixture gateway;

    @AfterEach
    void stop() throws IOException {
        for (Socket reader : readers) {
            reader.close();
        }
        gateway.close();
        origin.close();
    }

    /** Starts a gateway on one event loop, so that every pooled origin connection can serve every request. */
    private void start(String responseBuffer) throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0, ioThreads: 1}
                admin: {enabled: false}
                limits: {responseBuffer: %s, responseBufferTotal: 32MiB}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {enabled: false}
                    origins: [{host: 127.0.0.1, httpPort: %d, maxConnections: 2, responseTimeout: 5s}]
                """.formatted(responseBuffer, origin.port()));
    }

    /** Opens a client with a tiny receive window that asks for a large body and never reads it. */
    private void slowReader() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
        socket.getOutputStream().write(("GET /length/" + BODY + " HTTP/1.1\r\nHost: www.test\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        readers.add(socket);
    }

    private int echoStatus() throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status();
        }
    }

    @Test
    void takesTheResponseOffTheOriginSoSlowReadersLeaveItsConnectionsToOthers() throws Exception {
        start("8MiB");
        for (int i = 0; i < 4; i++) {
            slowReader();
            await().atMost(Duration.ofSeconds(30)).until(() -> echoStatus() == 200);
        }
        await().atMost(Duration.ofSeconds(30)).until(origin::bodyBytesWritten, org.hamcrest.Matchers.equalTo(4L * BODY));
        assertThat(echoStatus()).as("every slow reader's body left the origin, and no connection is held").isEqualTo(200);
    }

    @Test
    void letsTheOriginWaitForEachSlowReaderWithoutBuffers() throws Exception {
        start("0");
        slowReader();
        slowReader();
        await().atMost(Duration.ofSeconds(30)).until(() -> origin.connections() == 2);

        try (RawHttp client = gateway.client()) {
            RawHttp.Response refused = client.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionLimit");
        }
    }
}
