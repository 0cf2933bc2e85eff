package io.telltale.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.GatewayAssembly;
import io.telltale.server.proxy.Gateway;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real client pipeline on an embedded channel whose clock the test moves: sleeping loses nothing. */
class SleepingConnectionTest {
    private static final String TRACE = "GET /__telltale/trace HTTP/1.1\r\nHost: www.test\r\n\r\n";
    private static final String HEAD = "HEAD /__telltale/trace HTTP/1.1\r\nHost: www.test\r\n\r\n";

    private Gateway gateway;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() throws Exception {
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
        channel = new EmbeddedChannel(false, false, new EdgeChannelInitializer(() -> gateway,
                new DefaultChannelGroup(GlobalEventExecutor.INSTANCE), null));
        // As the server's connections: nothing is read unless the proxy asks for it.
        channel.config().setAutoRead(false);
        channel.register();
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        gateway.close();
    }

    private String exchange(String requests) {
        channel.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
        StringBuilder answers = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            answers.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return answers.toString();
    }

    private void idleFor(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private boolean asleep() {
        return channel.pipeline().get(EdgeChannelInitializer.CODEC) == null
                && channel.pipeline().get(EdgeChannelInitializer.FLOW) == null
                && channel.pipeline().get(EdgeChannelInitializer.PROXY) == null;
    }

    @Test
    void aSleepingConnectionServesItsNextRequestsInOrder() {
        assertThat(exchange(TRACE)).startsWith("HTTP/1.1 200 ");
        idleFor(2);
        assertThat(asleep()).isTrue();

        // Pipelined after the sleep: a HEAD then a GET, answered in order and framed apart.
        String answers = exchange(HEAD + TRACE);
        assertThat(asleep()).isFalse();
        assertThat(answers.split("HTTP/1.1 200 ", -1)).hasSize(3);
        assertThat(answers.indexOf("\r\n\r\nHTTP/1.1 200 ")).as("the HEAD answer has no body").isPositive();
        assertThat(channel.isOpen()).isTrue();

        idleFor(2);
        assertThat(asleep()).isTrue();
        assertThat(exchange(TRACE)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aRequestSplitAcrossTheWakeIsDecodedWhole() {
        exchange(TRACE);
        idleFor(2);

        assertThat(exchange("GET /__telltale/trace HTTP/1.1\r\nHo")).isEmpty();
        assertThat(exchange("st: www.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aSleepingConnectionClosesAtItsKeepAliveDeadline() {
        exchange(TRACE);
        idleFor(2);
        assertThat(asleep()).isTrue();

        idleFor(gateway.limits().keepAliveTimeout().toSeconds());
        assertThat(channel.isOpen()).isFalse();
    }
}
