package io.telltale.server.edge;

import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import io.telltale.server.observe.GatewayMetrics;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a listener's client connections on one event loop: each tick answers the connections whose
 * header section is late, closes those idle past the keep-alive timeout, and puts to sleep those that stayed
 * silent for a tick, so that an idle connection holds none of its HTTP handlers.
 *
 * <p>A connection waits in one of three queues, each in the order of its time stamps (they all come from this
 * loop's clock), so a tick looks only at the connections that are due and costs nothing per idle connection;
 * a connection busy with a request waits in none. It runs on its event loop only.
 */
final class ClientTimer {
    /** How long a connection may stay silent, at most, before it gives up its HTTP handlers. */
    static final long SLEEP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Adds the HTTP handlers of a connection after its {@link ClientConnection}. */
    @FunctionalInterface
    interface HttpHandlers {
        /** Adds them; {@code woken} says the connection slept and its next request's first bytes are arriving. */
        void install(ChannelPipeline pipeline, ClientConnection connection, boolean woken);
    }

    final Queue waiting = new Queue();
    final Queue started = new Queue();
    private final Queue sleeping = new Queue();
    private final EventExecutor loop;
    private final Ticker ticker;
    private final long idleNanos;
    private final long headerNanos;
    private final long periodNanos;
    private final HttpHandlers http;
    private final GatewayMetrics metrics;
    private ScheduledFuture<?> tick;

    /**
     * Creates the timer of one event loop.
     *
     * @param loop the event loop its connections run on
     * @param idleNanos how long a connection may wait for its next request
     * @param headerNanos how long a request's header section may take once its first bytes arrived
     * @param http adds a connection's HTTP handlers
     * @param metrics counts the open connections
     */
    ClientTimer(EventExecutor loop, long idleNanos, long headerNanos, HttpHandlers http, GatewayMetrics metrics) {
        this.loop = loop;
        this.ticker = loop.ticker();
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
        // A quarter of the shorter timeout bounds how late a deadline is enforced.
        this.periodNanos = Math.max(1, Math.min(SLEEP_AFTER_NANOS, Math.min(idleNanos, headerNanos) / 4));
        this.http = http;
        this.metrics = metrics;
    }

    HttpHandlers http() {
        return http;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    /** Moves a connection to the end of a queue, stamped now, and makes sure the tick runs. */
    void enqueue(ClientConnection connection, Queue queue) {
        forget(connection);
        connection.since = ticker.nanoTime();
        queue.append(connection);
        if (tick == null) {
            tick = loop.scheduleAtFixedRate(this::check, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Takes a connection out of whichever queue it waits in. */
    void forget(ClientConnection connection) {
        if (connection.queue != null) {
            connection.queue.remove(connection);
        }
    }

    private void check() {
        long now = ticker.nanoTime();
        for (ClientConnection c; (c = started.pollDue(now, headerNanos)) != null; ) {
            c.headerTimedOut();
        }
        for (ClientConnection c; (c = sleeping.pollDue(now, idleNanos)) != null; ) {
            c.idleTimedOut();
        }
        // Silent for a whole tick: not one of a busy connection's gaps between requests. Sleeping keeps the
        // stamp, so its idle deadline stays where it was.
        for (ClientConnection c; (c = waiting.pollDue(now, periodNanos)) != null; ) {
            c.sleep();
            sleeping.append(c);
        }
        if (started.isEmpty() && sleeping.isEmpty() && waiting.isEmpty()) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** A queue of connections linked through their own fields, so that waiting allocates nothing. */
    static final class Queue {
        private ClientConnection head;
        private ClientConnection tail;

        void append(ClientConnection c) {
            c.queue = this;
            c.prev = tail;
            c.next = null;
            if (tail == null) {
                head = c;
            } else {
                tail.next = c;
            }
            tail = c;
        }

        void remove(ClientConnection c) {
            if (c.prev == null) {
                head = c.next;
            } else {
                c.prev.next = c.next;
            }
            if (c.next == null) {
                tail = c.prev;
            } else {
                c.next.prev = c.prev;
            }
            c.prev = null;
            c.next = null;
            c.queue = null;
        }

        /** Takes out and returns the first connection if it was stamped at least {@code after} before now. */
        ClientConnection pollDue(long now, long after) {
            ClientConnection c = head;
            if (c == null || now - c.since < after) {
                return null;
            }
            remove(c);
            return c;
        }

        boolean isEmpty() {
            return head == null;
        }
    }
}
