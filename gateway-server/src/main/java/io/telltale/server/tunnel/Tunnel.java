package io.telltale.server.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One byte tunnel between a client connection and an origin connection on their shared event loop: each side's
 * {@link TunnelRelay} writes what it reads to the other, a side that sends its FIN has the other side's output shut
 * (or closed, under TLS), either side closing closes the other once what was written to it is flushed, and a tunnel
 * with no byte in either direction for its idle timeout is closed by the gateway.
 *
 * <p>It reports its {@link TunnelOutcome} once, when both connections are closed.
 */
public final class Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final BooleanSupplier stopping;
    private final Consumer<TunnelOutcome> ended;
    private final TunnelRelay client = new TunnelRelay(this, TunnelSide.CLIENT);
    private final TunnelRelay origin = new TunnelRelay(this, TunnelSide.ORIGIN);
    private long startNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> idleTimer;
    private int openChannels = 2;
    private TunnelSide endedBy;
    private boolean cut;
    private String reason;

    /**
     * Creates a tunnel whose ends are then put into the two pipelines.
     *
     * @param idleTimeout how long the tunnel may carry nothing before the gateway closes it
     * @param nanoClock the monotonic clock
     * @param stopping whether the gateway is stopping, which is then why the client connection closes
     * @param ended hears the outcome once both connections are closed
     */
    public Tunnel(Duration idleTimeout, LongSupplier nanoClock, BooleanSupplier stopping,
            Consumer<TunnelOutcome> ended) {
        this.idleNanos = idleTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.stopping = stopping;
        this.ended = ended;
    }

    /** Returns the handler that takes the client connection's HTTP handlers' place. */
    public ChannelHandler clientEnd() {
        return client;
    }

    /** Returns the handler that takes the origin connection's HTTP handlers' place. */
    public ChannelHandler originEnd() {
        return origin;
    }

    /** Starts relaying once both ends are in their pipelines; bytes that came before go first. */
    public void start() {
        startNanos = nanoClock.getAsLong();
        lastActivityNanos = startNanos;
        client.start(origin);
        origin.start(client);
        client.channel().closeFuture().addListener(f -> channelClosed());
        origin.channel().closeFuture().addListener(f -> channelClosed());
        idleTimer = client.channel().eventLoop().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
    }

    /** Notes traffic: the idle clock starts again. */
    void touch() {
        lastActivityNanos = nanoClock.getAsLong();
    }

    /** Notes that a side sent its FIN: the tunnel's end begins cleanly, unless something ended it already. */
    void inputEnded(TunnelSide side) {
        end(side, false, "sent its FIN");
    }

    /** Notes that a side's connection failed (a reset, a broken pipe); it is being closed. */
    void failed(TunnelSide side, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.warn("closing a tunnel after an unexpected error on the {} side", side.label(), cause);
        }
        String message = cause.getMessage();
        end(side, true, message == null ? cause.getClass().getSimpleName() : message);
    }

    /** Notes that a side's connection closed, and closes the other one once what it was sent is flushed. */
    void closed(TunnelSide side, TunnelRelay peer) {
        if (side == TunnelSide.CLIENT && stopping.getAsBoolean()) {
            end(TunnelSide.GATEWAY, true, "the gateway stopped");
        } else {
            end(side, false, "closed the connection");
        }
        peer.closeAfterFlush();
    }

    /** Returns whether this side's connection failed first (a reset, a broken pipe). */
    boolean cutBy(TunnelSide side) {
        return cut && endedBy == side;
    }

    private void end(TunnelSide side, boolean cutHere, String why) {
        if (endedBy == null) {
            endedBy = side;
            cut = cutHere;
            reason = why;
        }
    }

    private void checkIdle() {
        idleTimer = null;
        long idle = nanoClock.getAsLong() - lastActivityNanos;
        if (idle < idleNanos) {
            idleTimer = client.channel().eventLoop().schedule(this::checkIdle, idleNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        end(TunnelSide.GATEWAY, true, "idle for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms");
        client.channel().close();
        origin.channel().close();
    }

    private void channelClosed() {
        if (--openChannels > 0) {
            return;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        ended.accept(new TunnelOutcome(client.bytesIn(), origin.bytesIn(), nanoClock.getAsLong() - startNanos,
                endedBy == null ? TunnelSide.GATEWAY : endedBy, cut, reason == null ? "closed" : reason));
    }

}
