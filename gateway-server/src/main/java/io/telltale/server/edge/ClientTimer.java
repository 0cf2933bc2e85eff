package io.telltale.server.edge;

import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import io.telltale.server.observe.GatewayMetrics;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a listener's client connections on one event loop: it answers each connection whose header
 * section is late at its deadline, closes each one idle past the keep-alive timeout at its deadline, and puts
 * to sleep those that stayed silent a while, so that an idle connection holds none of its HTTP handlers.
 *
 * <p>A connection waits in one of three queues, each in the order of its time stamps (they all come from this
 * loop's clock) and each with one timeout, so the earliest deadline is always at one of the three heads. The
 * timer is one task scheduled for that deadline, not a periodic tick: a deadline is enforced at its time however
 * many connections wait, and a tick looks only at the connections that are due. Going to sleep is housekeeping,
 * not a deadline, so it may wait up to one more sleep interval for a wake-up that is due anyway. A connection
 * busy with a request waits in none. It runs on its event loop only.
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
    private final long sleepNanos;
    private final HttpHandlers http;
    private final GatewayMetrics metrics;
    private final Runnable check = this::check;
    private ScheduledFuture<?> tick;
    private long tickAt;

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
        // Silence this long means a connection is between visits, not between a busy client's requests.
        this.sleepNanos = Math.max(1, Math.min(SLEEP_AFTER_NANOS, Math.min(idleNanos, headerNanos) / 4));
        this.http = http;
        this.metrics = metrics;
    }

    HttpHandlers http() {
        return http;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    /** Moves a connection to the end of a queue, stamped now, and makes sure a tick is due by its deadline. */
    void enqueue(ClientConnection connection, Queue queue) {
        forget(connection);
        long now = ticker.nanoTime();
        connection.since = now;
        queue.append(connection);
        // A queue's later entries are due after its head: only a queue that was empty can bring the tick forward.
        if (queue.head == connection) {
            schedule(now, now + (queue == started ? headerNanos : queue == sleeping ? idleNanos : 2 * sleepNanos));
        }
    }

    /** Takes a connection out of whichever queue it waits in. */
    void forget(ClientConnection connection) {
        if (connection.queue != null) {
            connection.queue.remove(connection);
        }
    }

    /** Returns when the next tick runs on this loop's clock, or {@code Long.MAX_VALUE} when none is due. */
    long nextTickAt() {
        return tick == null ? Long.MAX_VALUE : tickAt;
    }

    private void check() {
        tick = null;
        long now = ticker.nanoTime();
        for (ClientConnection c; (c = started.pollDue(now, headerNanos)) != null; ) {
            c.headerTimedOut();
        }
        for (ClientConnection c; (c = sleeping.pollDue(now, idleNanos)) != null; ) {
            c.idleTimedOut();
        }
        // Silent for a while: not one of a busy connection's gaps between requests. Sleeping keeps the stamp, so
        // its idle deadline stays where it was.
        for (ClientConnection c; (c = waiting.pollDue(now, sleepNanos)) != null; ) {
            c.sleep();
            sleeping.append(c);
        }
        schedule(now, Math.min(deadline(started, headerNanos), Math.min(deadline(sleeping, idleNanos),
                deadline(waiting, 2 * sleepNanos))));
    }

    /** Makes the tick run at {@code at}, unless one already runs no later. */
    private void schedule(long now, long at) {
        if (at == Long.MAX_VALUE || (tick != null && tickAt - at <= 0)) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        tickAt = at;
        tick = loop.schedule(check, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    /** Returns when the head of a queue is due, or {@code Long.MAX_VALUE} when the queue is empty. */
    private static long deadline(Queue queue, long after) {
        return queue.head == null ? Long.MAX_VALUE : queue.head.since + after;
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

    }
}
