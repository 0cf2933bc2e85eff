package io.telltale.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.GatewayAssembly;
import io.telltale.server.proxy.Gateway;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client pipeline without sockets: requests in as bytes, responses out as bytes, in order. */
class HttpEdgeHandlerTest {
    private Gateway gateway;
    private EmbeddedChannel channel;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayAssembly(null).assemble(ConfigLoader.parse("""
                server: {httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: [127.0.0.1]}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: 1025}]
                """, "test.yaml"), Transport.best());
        channel = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false,
                new EdgeChannelInitializer(() -> gateway, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE),
                        null));
        // As on the listener: the connection is read only when the exchange asks.
        channel.config().setAutoRead(false);
        channel.register();
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        gateway.close();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCame() {
        send("GET /__telltale/trace HTTP/1.1\r\nHost: www.test\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: nosuch.test\r\n\r\n"
                + "GET /__telltale/errors/LoopDetected HTTP/1.1\r\nHost: www.test\r\n\r\n");

        String out = written();
        int trace = out.indexOf("HTTP/1.1 200");
        int unknown = out.indexOf("HTTP/1.1 421");
        int page = out.indexOf("HTTP/1.1 200", unknown);
        assertThat(trace).isZero();
        assertThat(unknown).isGreaterThan(trace);
        assertThat(page).isGreaterThan(unknown);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void refusesAmbiguousFramingAndClosesTheConnection() {
        send("POST / HTTP/1.1\r\nHost: www.test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: www.test\r\n\r\n");

        String out = written();
        assertThat(out).startsWith("HTTP/1.1 400").contains("AmbiguousRequestFraming").contains("connection: close");
        assertThat(out).doesNotContain("smuggled");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesAfterAnHttp10RequestWithoutKeepAlive() {
        send("GET /__telltale/trace HTTP/1.0\r\nHost: www.test\r\n\r\n");

        assertThat(written()).startsWith("HTTP/1.1 200").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }
}
