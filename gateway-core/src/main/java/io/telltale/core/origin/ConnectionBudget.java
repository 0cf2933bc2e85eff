package io.telltale.core.origin;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the open connections to one origin against its configured maximum. */
public final class ConnectionBudget {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** Creates a budget of at most {@code max} open connections. */
    public ConnectionBudget(int max) {
        this.max = max;
    }

    /** Takes one connection from the budget, or returns false when all are in use. */
    boolean tryAcquire() {
        for (;;) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Returns one connection to the budget. */
    void release() {
        open.decrementAndGet();
    }

    /** Returns the number of open connections. */
    public int open() {
        return open.get();
    }

    /** Returns the most connections allowed. */
    public int max() {
        return max;
    }
}
