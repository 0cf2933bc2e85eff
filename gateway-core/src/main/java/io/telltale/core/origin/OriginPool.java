package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The idle keep-alive connections of one event loop, by origin key.
 *
 * <p>Only its event loop's thread touches it, so it needs no locks; a connection is only ever used by
 * requests on the loop it was opened on. Idle timeouts are enforced by one sweep per loop rather than a
 * timer per connection, so lending and returning a connection costs no timer operations.
 */
final class OriginPool {
    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
    private final Map<OriginKey, ArrayDeque<Idle>> idle = new HashMap<>();
    private ScheduledFuture<?> sweeper;
    private int size;

    OriginPool(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Takes the most recently returned open idle connection for the key, or returns null; one that received bytes
     * while idle is closed instead, as they would be read as the next response.
     */
    Channel poll(OriginKey key) {
        ArrayDeque<Idle> queue = idle.get(key);
        if (queue == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Idle entry; (entry = queue.pollLast()) != null; ) {
            size--;
            if (entry.channel.isActive() && now < entry.expiresAt && !OriginHttpCodec.spoiled(entry.channel)) {
                return entry.channel;
            }
            entry.channel.close();
        }
        return null;
    }

    /** Keeps an open connection for reuse until its idle timeout passes. */
    void offer(OriginKey key, Channel channel, long idleTimeoutNanos) {
        idle.computeIfAbsent(key, k -> new ArrayDeque<>(4))
                .addLast(new Idle(channel, System.nanoTime() + idleTimeoutNanos));
        size++;
        if (sweeper == null) {
            sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /** Removes a pooled connection that closed. */
    void evict(OriginKey key, Channel channel) {
        ArrayDeque<Idle> queue = idle.get(key);
        if (queue != null && queue.removeIf(e -> e.channel == channel)) {
            size--;
        }
    }

    /** Returns the number of idle connections held. */
    int size() {
        return size;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<Idle>> queues = idle.values().iterator(); queues.hasNext(); ) {
            ArrayDeque<Idle> queue = queues.next();
            // Oldest first: the first one still fresh ends the sweep of this queue.
            for (Idle entry; (entry = queue.peekFirst()) != null && (now >= entry.expiresAt || !entry.channel.isActive()); ) {
                queue.pollFirst();
                size--;
                entry.channel.close();
            }
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
        if (idle.isEmpty()) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    private record Idle(Channel channel, long expiresAt) {
    }
}
