package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.param;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** WebSocket through the real gateway on loopback: Netty's WebSocket server behind it, Netty's client in front. */
class WebSocketTest {
    private static final String UPGRADE = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    private static EventLoopGroup clients;
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("telltale.access");
    private Level accessLevel;

    @BeforeAll
    static void startClients() {
        clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClients() {
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void readAccessLines() {
        accessLevel = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        accessLines.start();
        accessLogger.addAppender(accessLines);
    }

    @AfterEach
    void stopReadingAccessLines() {
        accessLogger.detachAppender(accessLines);
        accessLogger.setLevel(accessLevel);
    }

    private static GatewayFixture gateway(int originPort, String idleTimeout) throws InterruptedException {
        return GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                sites:
                  - name: ws
                    hosts: ["*"]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    upgrades:
                      idleTimeout: %s
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 2s
                """.formatted(idleTimeout, originPort));
    }

    @Test
    void carriesMessagesBothWaysAndEndsCleanlyWhenTheClientCloses() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "60s")) {
            WsClient client = WsClient.open(clients, gateway.port(), "/ws");

            client.send("hello through the gateway");
            assertThat(client.next()).isEqualTo("hello through the gateway");
            client.sendBinary("binary bytes".getBytes(StandardCharsets.UTF_8));
            assertThat(client.next()).isEqualTo("binary bytes");
            client.sendClose();

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed after the handshake").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("protocol=websocket"));
            String line = accessLog().lines().filter(l -> l.contains("protocol=websocket")).findFirst().orElseThrow();
            assertThat(line).contains(" path=/ws ", " status=101 ", " code=- ").containsPattern(" bytes=[1-9][0-9]* ")
                    .containsPattern(" bytes_in=[1-9][0-9]* ");
            String metrics = admin(gateway, "/metrics").bodyText();
            assertThat(metrics).contains("telltale_requests_total{code=\"-\",protocol=\"websocket\",site=\"ws\",status=\"101\"} 1.0")
                    .contains("telltale_tunnels_open 0.0")
                    .containsPattern("telltale_tunnel_bytes_total\\{direction=\"to_origin\",protocol=\"websocket\",site=\"ws\"} [1-9]");
            assertThat(journaledCuts(gateway)).isEmpty();
            assertThat(origin.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void closesTheClientWhenTheOriginClosesTheWebSocket() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "60s")) {
            WsClient client = WsClient.open(clients, gateway.port(), "/ws");

            client.send("close");

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed by the origin").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin(gateway, "/metrics").bodyText()
                    .contains("telltale_requests_total{code=\"-\",protocol=\"websocket\",site=\"ws\",status=\"101\"} 1.0"));
            assertThat(journaledCuts(gateway)).isEmpty();
        }
    }

    @Test
    void closesBothSidesAndJournalsACutWhenTheTunnelStaysIdle() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "300ms")) {
            WsClient client = WsClient.open(clients, gateway.port(), "/ws");
            client.send("one message");
            assertThat(client.next()).isEqualTo("one message");

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).as("closed for idleness").isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            Map<String, Object> cut = journaledCuts(gateway).get(0);
            assertThat(cut).containsEntry("responseStarted", true).containsEntry("path", "/ws");
            assertThat(cut.get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("evidence")
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "gateway").containsEntry("tunnel.reason", "idle for 300 ms")
                    .containsEntry("tunnel.idleTimeoutMs", 300);
        }
    }

    @Test
    void stopsReadingTheOriginWhileTheClientDoesNotRead() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.FLOOD);
                GatewayFixture gateway = gateway(origin.port(), "60s");
                Socket client = new Socket()) {
            client.setReceiveBufferSize(65_536);
            client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
            client.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: www.test\r\n" + UPGRADE + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(HttpLines.readLine(in)).isEqualTo("HTTP/1.1 101 Switching Protocols");
            while (!HttpLines.readLine(in).isEmpty()) {
                // The rest of the 101's head.
            }

            // The client reads nothing: the origin's writes must stall well before all of it left.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long now = origin.written();
                boolean stalled = now == last[0] && !origin.connection().isWritable();
                last[0] = now;
                // A gateway that buffered without bound would let the origin write everything.
                return stalled || now >= UpgradeOrigin.FLOOD_BYTES;
            });
            assertThat(origin.written()).as("bytes the gateway let the origin write to a client that reads nothing")
                    .isLessThan(UpgradeOrigin.FLOOD_BYTES / 2);

            long read = 0;
            byte[] buffer = new byte[1 << 16];
            for (int n; read < UpgradeOrigin.FLOOD_BYTES && (n = in.read(buffer)) > 0; ) {
                read += n;
            }
            assertThat(read).as("every byte arrives once the client reads").isEqualTo(UpgradeOrigin.FLOOD_BYTES);
        }
    }

    @Test
    void passesHalfClosesOnWhenTheClientSendsItsFin() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.BYE_AFTER_FIN);
                GatewayFixture gateway = gateway(origin.port(), "60s");
                RawHttp client = gateway.client()) {
            client.send("GET /ws HTTP/1.1\r\nHost: www.test\r\n" + UPGRADE + "\r\n");
            assertThat(client.read().status()).isEqualTo(101);

            client.shutdownOutput();

            assertThat(new String(client.input().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("protocol=websocket"));
            assertThat(journaledCuts(gateway)).isEmpty();
        }
    }

    @Test
    void journalsACutByTheOriginWithTheBytesItSent() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.HELLO_THEN_RESET);
                GatewayFixture gateway = gateway(origin.port(), "60s");
                RawHttp client = gateway.client()) {
            client.send("GET /ws HTTP/1.1\r\nHost: www.test\r\n" + UPGRADE + "\r\n");
            assertThat(client.read().status()).isEqualTo(101);

            assertThat(new String(client.input().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            assertThat(journaledCuts(gateway).get(0).get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("code", "TunnelCut").extractingByKey("evidence")
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "origin").containsEntry("tunnel.bytesToClient", 5)
                    .containsEntry("tunnel.bytesToOrigin", 0);
            Map<String, String> seen = new LinkedHashMap<>();
            seen.put("What the client saw", "HTTP/1.1 101 Switching Protocols, the origin's 5 bytes \"hello\", then the"
                    + " connection closed (the 101 was already sent: no error response can follow it)");
            seen.put("The journal entry (GET /failures?code=TunnelCut on the admin port)",
                    GatewayErrors.pretty(journaledCuts(gateway).get(0)));
            DocExamples.keepRecord("TunnelCut", seen);
        }
    }

    @Test
    void journalsACutByTheClientWhenItResetsTheTunnel() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "60s");
                Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            client.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: www.test\r\n" + UPGRADE + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(HttpLines.readLine(in)).isEqualTo("HTTP/1.1 101 Switching Protocols");
            while (!HttpLines.readLine(in).isEmpty()) {
                // The rest of the 101's head.
            }

            // SO_LINGER 0 turns the close into a reset.
            client.setSoLinger(true, 0);
            client.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            assertThat(journaledCuts(gateway).get(0).get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .extractingByKey("evidence").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "client").containsEntry("tunnel.bytesToOrigin", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin(gateway, "/metrics").bodyText()
                    .contains("telltale_tunnels_open 0.0"));
        }
    }

    @Test
    void carriesAWebSocketOverTheHttpsListener(@TempDir Path dir) throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        pki.leaf("wss.test").writePem(cert, key);
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = GatewayFixture.start("""
                        server: {bindAddress: 127.0.0.1, httpPort: 0, httpsPort: 0}
                        admin: {port: 0}
                        sites:
                          - name: wss
                            hosts: [wss.test]
                            allowedOriginNetworks: [127.0.0.0/8]
                            tls: {certificate: %s, key: %s}
                            origins: [{host: 127.0.0.1, httpPort: %d}]
                        """.formatted(cert, key, origin.port()));
                SSLSocket client = LabTlsClient.connect(gateway.server().httpsPort(), "wss.test", pki.root())) {
            client.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: wss.test\r\n" + UPGRADE + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(HttpLines.readLine(in)).isEqualTo("HTTP/1.1 101 Switching Protocols");
            while (!HttpLines.readLine(in).isEmpty()) {
                // The rest of the 101's head.
            }

            client.getOutputStream().write(maskedFrame(0x81, "over tls".getBytes(StandardCharsets.US_ASCII)));
            assertThat(in.readNBytes(10)).as("the echo, unmasked").isEqualTo(
                    concat(new byte[] {(byte) 0x81, 8}, "over tls".getBytes(StandardCharsets.US_ASCII)));
            client.getOutputStream().write(maskedFrame(0x88, new byte[] {0x03, (byte) 0xe8}));

            assertThat(in.readAllBytes()).as("the origin's Close frame, then the end").startsWith(0x88);
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("protocol=websocket"));
            assertThat(journaledCuts(gateway)).isEmpty();
        }
    }

    /** Returns a client-to-server WebSocket frame (RFC 6455 §5.2): final, the given opcode, masked. */
    private static byte[] maskedFrame(int finAndOpcode, byte[] payload) {
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) finAndOpcode;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void explainsAnUpgradeTheOriginRefusesWithItsStatus() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_REFUSED);
                GatewayFixture gateway = gateway(origin.port(), "60s")) {
            for (int status : List.of(403, 200)) {
                String path = status == 403 ? "/ws" : "/status/200";
                RawHttp.Response refused = GatewayErrors.get(gateway.port(), "www.test", path,
                        UPGRADE + "Accept: application/problem+json\r\n");

                List<GatewayErrors.Param> params = assertGatewayError(refused, 502, "OriginUpgradeRefused");
                assertThat(params.get(0).key()).isEqualTo("error");
                assertThat(param(params, "error")).isEqualTo("http_upgrade_failed");
                assertThat(param(params, "received-status")).isEqualTo(Integer.toString(status));
                assertThat(evidence(problem(refused))).containsEntry("origin.status", status)
                        .containsEntry("upgrade", "websocket");
            }
        }
    }

    @Test
    void explainsARefusedOriginPortBeforeTheUpgrade() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.REFUSED);
                GatewayFixture gateway = gateway(origin.port(), "60s")) {
            RawHttp.Response refused = GatewayErrors.get(gateway.port(), "www.test", "/ws",
                    UPGRADE + "Accept: application/problem+json\r\n");

            assertGatewayError(refused, 521, "OriginConnectionRefused");
            assertThat(evidence(problem(refused))).containsEntry("origin.port", origin.port());
        }
    }

    @Test
    void servesAnUpgradeToH2cAsPlainHttpWithoutTheUpgrade() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_REFUSED);
                GatewayFixture gateway = gateway(origin.port(), "60s")) {
            // The refusing origin answers 403 to any request carrying Upgrade: a 200 shows none reached it.
            RawHttp.Response page = GatewayErrors.get(gateway.port(), "www.test", "/",
                    "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.bodyText()).contains("WebSocket through Telltale");
        }
    }

    private String accessLog() {
        return accessLines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    private static RawHttp.Response admin(GatewayFixture gateway, String path) throws IOException {
        return GatewayErrors.get(gateway.adminPort(), "127.0.0.1", path, "");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> journaledCuts(GatewayFixture gateway) throws IOException {
        Map<String, Object> listed = GatewayErrors.json(admin(gateway, "/failures?code=TunnelCut").bodyText());
        return (List<Map<String, Object>>) listed.get("entries");
    }
}
