package io.telltale.core.cache;

import io.telltale.core.failure.Failure;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A failure the gateway produced for a key, kept for the site's {@code errorTtl} beside (never over) a stored
 * object, under {@link SiteCache#failureKey}.
 */
final class CachedFailure implements Slot {
    /** How often one request per object is let through to the origin while the failure is answered. */
    static final long PROBE_INTERVAL_MILLIS = 1000;

    private static final VarHandle PROBED;

    static {
        try {
            PROBED = MethodHandles.lookup().findVarHandle(CachedFailure.class, "probedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Failure failure;
    private final long storedAt;
    private final long keepUntil;
    @SuppressWarnings("unused") // written through PROBED
    private volatile long probedAt;

    CachedFailure(Failure failure, long storedAt, long keepUntil) {
        this.failure = failure;
        this.storedAt = storedAt;
        this.keepUntil = keepUntil;
        this.probedAt = storedAt;
    }

    Failure failure() {
        return failure;
    }

    long storedAt() {
        return storedAt;
    }

    @Override
    public long keepUntil() {
        return keepUntil;
    }

    /**
     * Claims the one request of the current interval that goes to the origin, so a recovered origin ends the error
     * at once while every other request still gets the cached failure.
     */
    boolean claimProbe(long now) {
        long last = probedAt;
        return now - last >= PROBE_INTERVAL_MILLIS && PROBED.compareAndSet(this, last, now);
    }

    @Override
    public int weight() {
        return 512;
    }
}
