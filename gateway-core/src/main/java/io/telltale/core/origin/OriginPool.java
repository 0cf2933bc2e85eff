package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The idle keep-alive connections of one event loop, by origin key.
 *
 * <p>Only its event loop's thread touches it, so it needs no locks; a connection is only ever used by
 * requests on the loop it was opened on.
 */
final class OriginPool {
    private final EventLoop loop;
    private final Map<OriginKey, ArrayDeque<Idle>> idle = new HashMap<>();
    private int size;

    OriginPool(EventLoop loop) {
        this.loop = loop;
    }

    /** Takes an open idle connection for the key, or returns null. */
    Channel poll(OriginKey key) {
        ArrayDeque<Idle> queue = idle.get(key);
        if (queue == null) {
            return null;
        }
        for (Idle entry; (entry = queue.pollLast()) != null; ) {
            size--;
            entry.expiry.cancel(false);
            if (entry.channel.isActive()) {
                return entry.channel;
            }
        }
        return null;
    }

    /** Keeps an open connection for reuse until the idle timeout closes it. */
    void offer(OriginKey key, Channel channel, long idleTimeoutNanos) {
        ScheduledFuture<?> expiry = loop.schedule(() -> evict(key, channel), idleTimeoutNanos, TimeUnit.NANOSECONDS);
        idle.computeIfAbsent(key, k -> new ArrayDeque<>(4)).addLast(new Idle(channel, expiry));
        size++;
    }

    /** Removes a pooled connection that closed or idled out. */
    void evict(OriginKey key, Channel channel) {
        ArrayDeque<Idle> queue = idle.get(key);
        if (queue == null) {
            return;
        }
        if (queue.removeIf(e -> e.channel == channel && e.expiry.cancel(false) | true)) {
            size--;
            channel.close();
        }
    }

    /** Returns the number of idle connections held. */
    int size() {
        return size;
    }

    private record Idle(Channel channel, ScheduledFuture<?> expiry) {
    }
}
