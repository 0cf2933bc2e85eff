package io.telltale.server.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes the gateway may hold for clients slower than their origins, shared by every response: a response whose
 * client falls behind takes one share and reads its origin on until the share is full, so that the origin connection
 * is free as soon as the rest of the response is held here (as nginx's {@code proxy_buffering} does, in memory).
 */
public final class ResponseBuffers {
    private final long share;
    private final AtomicLong left;

    /** Creates the allowance: {@code share} bytes per response, {@code total} for all of them together. */
    public ResponseBuffers(long share, long total) {
        this.share = share;
        this.left = new AtomicLong(total);
    }

    /** Takes one response's share and returns its size, or 0 when buffering is off or the allowance is used up. */
    long take() {
        if (share <= 0) {
            return 0;
        }
        for (;;) {
            long now = left.get();
            if (now < share) {
                return 0;
            }
            if (left.compareAndSet(now, now - share)) {
                return share;
            }
        }
    }

    /** Gives back a share taken by {@link #take}. */
    void give(long taken) {
        if (taken > 0) {
            left.addAndGet(taken);
        }
    }

    /** Returns the bytes not yet taken. */
    public long left() {
        return left.get();
    }
}
