package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * WebSocket by extended CONNECT (RFC 8441) through the real gateway on loopback: Netty's HTTP/2 client in front
 * (h2c and h2 over TLS), an HTTP/1.1 WebSocket origin behind, one tunnel per stream.
 */
class ExtendedConnectTest {
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("telltale.access");
    private Level accessLevel;

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

    private static GatewayFixture gateway(int originPort, String upgrades) throws InterruptedException {
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
                    upgrades: %s
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 2s
                """.formatted(upgrades, originPort));
    }

    @Test
    void advertisesExtendedConnectAndCarriesMessagesBothWaysOverH2c() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            assertThat(client.settings().connectProtocolEnabled()).as("SETTINGS_ENABLE_CONNECT_PROTOCOL").isTrue();

            H2WsClient.Stream ws = client.open(H2WsClient.connect("www.test", "/ws"), true);
            // Sent before the 200 came: held until the tunnel opens, never dropped.
            ws.send("sent early");
            assertThat(ws.head().status().toString()).isEqualTo("200");
            assertThat(ws.head().contains("sec-websocket-accept")).as("no accept on the HTTP/2 side").isFalse();
            assertThat(ws.next()).isEqualTo("sent early");

            ws.send("hello over h2c");
            assertThat(ws.next()).isEqualTo("hello over h2c");
            ws.sendBinary("binary bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(ws.next()).isEqualTo("binary bytes");
            ws.sendClose();
            assertThat(ws.next()).isEqualTo("close 1000");
            assertThat(ws.ended()).as("the origin's close ends the stream").isEqualTo("END_STREAM");
            // The client ends its side in turn, as it would close its TCP connection after the closing handshake.
            ws.sendRaw("", true);

            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("protocol=websocket"));
            String line = accessLog().lines().filter(l -> l.contains("protocol=websocket")).findFirst().orElseThrow();
            assertThat(line).contains(" path=/ws ", " status=200 ", " code=- ").containsPattern(" bytes=[1-9][0-9]* ")
                    .containsPattern(" bytes_in=[1-9][0-9]* ");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin(gateway, "/metrics").bodyText()
                    .contains("telltale_tunnels_open 0.0"));
            assertThat(admin(gateway, "/metrics").bodyText())
                    .contains("telltale_requests_total{code=\"-\",protocol=\"websocket\",site=\"ws\",status=\"200\"} 1.0")
                    .containsPattern("telltale_tunnel_bytes_total\\{direction=\"to_client\",protocol=\"websocket\",site=\"ws\"} [1-9]");
            assertThat(journaledCuts(gateway)).isEmpty();
        }
    }

    @Test
    void carriesAWebSocketOverH2ByAlpn(@TempDir Path dir) throws Exception {
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
                H2WsClient client = H2WsClient.tls(gateway.server().httpsPort(), "wss.test", pki.root())) {
            assertThat(client.settings().connectProtocolEnabled()).isTrue();
            Http2Headers connect = H2WsClient.connect("wss.test", "/ws").scheme("https");
            H2WsClient.Stream first = client.open(connect, true);
            H2WsClient.Stream second = client.open(H2WsClient.connect("wss.test", "/ws").scheme("https"), true);
            assertThat(first.head().status().toString()).isEqualTo("200");
            assertThat(second.head().status().toString()).isEqualTo("200");

            first.send("one");
            second.send("two");
            assertThat(second.next()).as("two tunnels on one connection").isEqualTo("two");
            assertThat(first.next()).isEqualTo("one");
            first.sendClose();
            assertThat(first.next()).isEqualTo("close 1000");
            assertThat(first.ended()).isEqualTo("END_STREAM");
            first.sendRaw("", true);
            second.send("still open");
            assertThat(second.next()).isEqualTo("still open");
        }
    }

    @Test
    void passesTheClientsEndStreamOnAsAHalfClose() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.BYE_AFTER_FIN);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream stream = client.open(H2WsClient.connect("www.test", "/ws?room=1")
                    .set("sec-websocket-protocol", "chat").set("sec-websocket-extensions", "permessage-deflate"), false);
            assertThat(stream.head().status().toString()).isEqualTo("200");
            assertThat(origin.requestHead().lines().toList()).as("the HTTP/1.1 upgrade the origin got")
                    .startsWith("GET /ws?room=1 HTTP/1.1")
                    .contains("x-forwarded-host: www.test", "upgrade: websocket", "connection: upgrade",
                            "sec-websocket-version: 13", "sec-websocket-protocol: chat",
                            "sec-websocket-extensions: permessage-deflate")
                    .anyMatch(line -> line.matches("sec-websocket-key: [A-Za-z0-9+/]{22}=="))
                    .noneMatch(line -> line.startsWith("x-http2-") || line.startsWith("transfer-encoding"));

            stream.sendRaw("last words", true);

            assertThat(stream.ended()).isEqualTo("END_STREAM");
            assertThat(stream.dataBytes()).as("the origin's \"bye\" after the FIN").isEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("protocol=websocket"));
            assertThat(accessLog()).contains(" bytes_in=10 ");
            assertThat(journaledCuts(gateway)).isEmpty();
        }
    }

    @Test
    void resetsTheStreamAndJournalsACutWhenTheTunnelStaysIdle() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 300ms}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream ws = client.open(H2WsClient.connect("www.test", "/ws"), true);
            ws.send("one message");
            assertThat(ws.next()).isEqualTo("one message");

            assertThat(ws.ended()).isEqualTo("RST_STREAM CANCEL");

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            Map<String, Object> cut = journaledCuts(gateway).get(0);
            assertThat(cut).containsEntry("responseStarted", true).containsEntry("path", "/ws");
            assertThat(cut.get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP).extractingByKey("evidence")
                    .asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "gateway").containsEntry("tunnel.reason", "idle for 300 ms");
            H2WsClient.Stream next = client.open(H2WsClient.connect("www.test", "/ws"), true);
            assertThat(next.head().status().toString()).as("the connection serves on").isEqualTo("200");
        }
    }

    @Test
    void journalsACutByTheClientWhenItResetsTheStream() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream ws = client.open(H2WsClient.connect("www.test", "/ws"), true);
            assertThat(ws.head().status().toString()).isEqualTo("200");

            ws.reset();

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            assertThat(journaledCuts(gateway).get(0).get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .extractingByKey("evidence").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "client").containsEntry("tunnel.reason", "reset the stream (CANCEL)");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin(gateway, "/metrics").bodyText()
                    .contains("telltale_tunnels_open 0.0"));
        }
    }

    @Test
    void resetsTheStreamWithConnectErrorWhenTheOriginResetsItsConnection() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.HELLO_THEN_RESET);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream stream = client.open(H2WsClient.connect("www.test", "/ws"), false);
            assertThat(stream.head().status().toString()).isEqualTo("200");

            assertThat(stream.ended()).isEqualTo("RST_STREAM CONNECT_ERROR");
            assertThat(stream.dataBytes()).as("the origin's \"hello\" before its reset").isEqualTo(5);

            await().atMost(Duration.ofSeconds(10)).until(() -> !journaledCuts(gateway).isEmpty());
            assertThat(journaledCuts(gateway).get(0).get("failure")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .extractingByKey("evidence").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("tunnel.cutBy", "origin").containsEntry("tunnel.bytesToClient", 5);
        }
    }

    @Test
    void stopsReadingTheOriginWhileTheClientDoesNotRead() throws Exception {
        try (UpgradeOrigin origin = new UpgradeOrigin(UpgradeOrigin.Mode.FLOOD);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream stream = client.open(H2WsClient.connect("www.test", "/ws"), false);
            assertThat(stream.head().status().toString()).isEqualTo("200");
            // The client reads no more: the stream's window is not given back, so the gateway may send 64 KiB.
            stream.channel().config().setAutoRead(false);

            long[] last = {-1};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long now = origin.written();
                boolean stalled = now == last[0] && origin.connection() != null && !origin.connection().isWritable();
                last[0] = now;
                return stalled || now >= UpgradeOrigin.FLOOD_BYTES;
            });
            assertThat(origin.written()).as("bytes the gateway let the origin write to a stream that reads nothing")
                    .isLessThan(UpgradeOrigin.FLOOD_BYTES / 2);

            stream.channel().config().setAutoRead(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> stream.dataBytes() >= UpgradeOrigin.FLOOD_BYTES);
            assertThat(stream.dataBytes()).as("every byte arrives once the client reads")
                    .isEqualTo(UpgradeOrigin.FLOOD_BYTES);
        }
    }

    @Test
    void explainsAnUpgradeTheOriginRefusesOnTheStream() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_REFUSED);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream refused = client.open(H2WsClient.connect("www.test", "/ws"), true);

            Http2Headers head = refused.head();
            assertThat(head.status().toString()).isEqualTo("502");
            assertThat(head.get("x-gateway-error-code").toString()).isEqualTo("OriginUpgradeRefused");
            assertThat(head.get("proxy-status").toString()).contains("error=http_upgrade_failed")
                    .contains("received-status=403");
            refused.ended();
            assertThat(refused.body()).contains("403");
        }
    }

    @Test
    void explainsARefusedOriginPortOnTheStream() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (GatewayFixture gateway = gateway(closedPort, "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream refused = client.open(H2WsClient.connect("www.test", "/ws"), true);

            Http2Headers head = refused.head();
            assertThat(head.status().toString()).isEqualTo("521");
            assertThat(head.get("x-gateway-error-code").toString()).isEqualTo("OriginConnectionRefused");
            assertThat(head.get("proxy-status").toString()).contains("error=connection_refused");
            await().atMost(Duration.ofSeconds(10)).until(() -> accessLog().contains("code=OriginConnectionRefused"));
            assertThat(accessLog()).contains(" path=/ws ", " status=521 ");
        }
    }

    @Test
    void refusesAProtocolOtherThanWebSocketAndAClassicConnect() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "{idleTimeout: 60s}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream other = client.open(H2WsClient.connect("www.test", "/ws")
                    .set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "connect-udp"), true);
            H2WsClient.Stream classic = client.open(new DefaultHttp2Headers().method("CONNECT")
                    .authority("www.test:443"), true);

            assertThat(other.head().status().toString()).isEqualTo("400");
            assertThat(other.head().get("x-gateway-error-code").toString()).isEqualTo("MalformedRequest");
            assertThat(classic.head().status().toString()).isEqualTo("400");
            assertThat(classic.head().get("x-gateway-error-code").toString()).isEqualTo("MalformedRequest");
            await().atMost(Duration.ofSeconds(10)).until(() -> journaled(gateway, "MalformedRequest").size() == 2);
            List<Object> details = journaled(gateway, "MalformedRequest").stream()
                    .map(entry -> ((Map<?, ?>) entry.get("failure")).get("detail")).collect(Collectors.toList());
            assertThat(details).containsExactlyInAnyOrder(
                    "Extended CONNECT (RFC 8441) is served for the websocket protocol only, not for \"connect-udp\".",
                    "CONNECT is not served by a reverse proxy.");
            assertThat(origin.acceptedConnections()).as("neither reached the origin").isZero();
        }
    }

    @Test
    void refusesAnExtendedConnectTheSiteDoesNotPassOn() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.WEBSOCKET_ECHO);
                GatewayFixture gateway = gateway(origin.port(), "{protocols: []}");
                H2WsClient client = H2WsClient.cleartext(gateway.port())) {
            H2WsClient.Stream refused = client.open(H2WsClient.connect("www.test", "/ws"), true);

            assertThat(refused.head().status().toString()).isEqualTo("405");
            assertThat(refused.head().get("x-gateway-error-code").toString()).isEqualTo("MethodNotAllowed");
            refused.ended();
            assertThat(refused.body()).contains("upgrades.protocols");
            assertThat(origin.acceptedConnections()).isZero();
        }
    }

    private String accessLog() {
        return accessLines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    private static RawHttp.Response admin(GatewayFixture gateway, String path) throws IOException {
        return GatewayErrors.get(gateway.adminPort(), "127.0.0.1", path, "");
    }

    private static List<Map<String, Object>> journaledCuts(GatewayFixture gateway) throws IOException {
        return journaled(gateway, "TunnelCut");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> journaled(GatewayFixture gateway, String code) throws IOException {
        Map<String, Object> listed = GatewayErrors.json(admin(gateway, "/failures?code=" + code).bodyText());
        return (List<Map<String, Object>>) listed.get("entries");
    }
}
