package io.telltale.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.telltale.server.observe.GatewayMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientTimerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE = 8 * SECOND;
    private static final long HEADER = 4 * SECOND;
    private static final String HTTP = "http-handlers";

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<String> received = new ArrayList<>();
    private final List<Object> events = new ArrayList<>();
    private final List<Boolean> installs = new ArrayList<>();
    private ClientConnection connection;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = new EmbeddedChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientTimer timer = new ClientTimer(ch.eventLoop(), IDLE, HEADER, ClientTimerTest.this::install, metrics);
                connection = new ClientConnection(timer);
                ch.pipeline().addLast(EdgeChannelInitializer.CONNECTION, connection);
                install(ch.pipeline(), connection, false);
            }
        });
        // Stamps taken from here on read this frozen clock, which only the test moves.
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Stands in for the codec, flow control and proxy: records what reaches them. */
    private void install(ChannelPipeline pipeline, ClientConnection c, boolean woken) {
        installs.add(woken);
        pipeline.addLast(HTTP, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
    }

    private void after(long nanos) {
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    private boolean awake() {
        return channel.pipeline().get(HTTP) != null;
    }

    @Test
    void anIdleConnectionSleepsAfterASilentIntervalAndWakesWithItsNextBytes() {
        connection.awaitRequest(false);
        after(SECOND);
        assertThat(awake()).as("sleeping may wait for a wake-up due anyway").isTrue();
        after(SECOND);
        assertThat(awake()).isFalse();
        assertThat(channel.pipeline().last()).isSameAs(connection);

        send("GET / HTTP/1.1\r\n");
        assertThat(awake()).isTrue();
        assertThat(installs).containsExactly(false, true);
        assertThat(received).containsExactly("GET / HTTP/1.1\r\n");
    }

    @Test
    void aGapBetweenRequestsShorterThanTheSleepIntervalIsNotSilence() {
        after(SECOND / 2);
        connection.awaitRequest(false);
        after(SECOND / 2);
        connection.requestReceived();
        connection.awaitRequest(false);
        after(SECOND);
        assertThat(awake()).isTrue();

        after(SECOND);
        assertThat(awake()).isFalse();
    }

    @Test
    void closesAnIdleConnectionAtItsKeepAliveDeadlineAsleepOrNot() {
        connection.awaitRequest(false);
        after(IDLE - SECOND);
        assertThat(channel.isOpen()).isTrue();

        after(SECOND);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void signalsAHeaderSectionThatIsLateOnceAtItsDeadline() {
        connection.awaitRequest(false);
        after(SECOND / 2);
        send("GET / HT");
        after(HEADER - 1);
        assertThat(events).as("one nanosecond before the deadline").isEmpty();

        after(1);
        assertThat(events).containsExactly(ClientConnection.HEADER_TIMEOUT);
        after(IDLE);
        assertThat(events).hasSize(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void startsTheHeaderClockWhenPartOfTheNextRequestAlreadyCame() {
        connection.awaitRequest(true);
        after(HEADER);

        assertThat(events).containsExactly(ClientConnection.HEADER_TIMEOUT);
        assertThat(installs).containsExactly(false);
    }

    @Test
    void aRequestInProgressStopsTheClocksAndTheTick() {
        connection.awaitRequest(false);
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        connection.requestReceived();
        after(2 * IDLE);

        assertThat(channel.isOpen()).isTrue();
        assertThat(events).isEmpty();
        assertThat(awake()).isTrue();
        assertThat(channel.runScheduledPendingTasks()).as("no tick left scheduled").isEqualTo(-1);
    }

    @Test
    void aDrainClosesASleepingConnection() {
        connection.awaitRequest(false);
        after(2 * SECOND);
        channel.pipeline().fireUserEventTriggered(HttpEdgeHandler.DRAIN);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void countsTheConnectionWhileItSleeps() {
        connection.awaitRequest(false);
        after(2 * SECOND);
        assertThat(awake()).isFalse();
        assertThat(metrics.scrape()).contains("telltale_client_connections 1.0");

        channel.close();
        assertThat(metrics.scrape()).contains("telltale_client_connections 0.0");
    }
}
