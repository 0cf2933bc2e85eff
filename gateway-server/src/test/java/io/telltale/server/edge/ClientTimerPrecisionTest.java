package io.telltale.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.telltale.server.observe.GatewayMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timer enforces every connection's deadline at its time, however many connections wait and whenever each
 * began: measured on the event loop's own frozen clock, which only the test moves.
 */
class ClientTimerPrecisionTest {
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE = 60 * SECOND;
    private static final long HEADER = 10 * SECOND;

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final Map<Integer, Long> timedOutAt = new LinkedHashMap<>();
    private EmbeddedChannel loop;
    private ClientTimer timer;
    private long start;

    @BeforeEach
    void open() {
        // The timer runs on this channel's event loop; it is the clock every stamp and deadline reads.
        loop = new EmbeddedChannel();
        loop.freezeTime();
        timer = new ClientTimer(loop.eventLoop(), IDLE, HEADER, (pipeline, c, woken) -> { }, new GatewayMetrics());
        start = now();
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        loop.finishAndReleaseAll();
    }

    private long now() {
        return loop.eventLoop().ticker().nanoTime();
    }

    /** Opens a connection on the timer whose header section starts now, and records when it times out. */
    private ClientConnection startedNow(int id) {
        ClientConnection connection = new ClientConnection(timer);
        EmbeddedChannel channel = new EmbeddedChannel(connection, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ClientConnection.HEADER_TIMEOUT) {
                    timedOutAt.put(id, now() - start);
                }
            }
        });
        channels.add(channel);
        connection.awaitRequest(true);
        return connection;
    }

    private void advance(long nanos) {
        loop.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        loop.runScheduledPendingTasks();
    }

    /** Moves the clock in one-millisecond steps, so that each deadline can only be seen at its own millisecond. */
    private void advanceByMillis(long nanos) {
        for (long moved = 0; moved < nanos; moved += MILLI) {
            advance(MILLI);
        }
    }

    @Test
    void firesEachHeaderDeadlineAtItsOwnTimeWhateverTheOthersDo() {
        long[] begins = {0, 137 * MILLI, 999 * MILLI, 1_001 * MILLI, 4_321 * MILLI, 9_999 * MILLI};
        long at = 0;
        for (int i = 0; i < begins.length; i++) {
            advance(begins[i] - at);
            at = begins[i];
            startedNow(i);
        }
        advanceByMillis(begins[begins.length - 1] + HEADER + SECOND - at);

        Map<Integer, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < begins.length; i++) {
            expected.put(i, begins[i] + HEADER);
        }
        assertThat(timedOutAt).as("when each header section timed out, from the start").isEqualTo(expected);
    }

    @Test
    void aStartedHeaderSectionBringsTheTickForwardFromAnIdleDeadline() {
        ClientConnection idle = new ClientConnection(timer);
        channels.add(new EmbeddedChannel(idle));
        idle.awaitRequest(false);
        advance(3 * SECOND);
        long idleTick = timer.nextTickAt();
        assertThat(idleTick - start).as("asleep: the next tick is its keep-alive deadline").isEqualTo(IDLE);

        startedNow(1);
        assertThat(timer.nextTickAt() - start).isEqualTo(3 * SECOND + HEADER);
        advance(HEADER);
        assertThat(timedOutAt).containsExactly(Map.entry(1, 3 * SECOND + HEADER));
        assertThat(timer.nextTickAt()).as("then the idle deadline again").isEqualTo(idleTick);
    }

    @Test
    void schedulesNoTickWhenNoConnectionWaits() {
        ClientConnection connection = startedNow(1);
        connection.requestReceived();
        advance(HEADER);

        assertThat(timedOutAt).isEmpty();
        assertThat(timer.nextTickAt()).as("the one stale tick ran and scheduled no other").isEqualTo(Long.MAX_VALUE);
    }
}
