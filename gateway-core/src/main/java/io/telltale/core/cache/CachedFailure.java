package io.telltale.core.cache;

import io.telltale.core.failure.Failure;

/**
 * A failure the gateway produced for a key, kept for the site's {@code errorTtl}.
 *
 * @param failure the failure to answer again
 * @param storedAt when it was stored (epoch ms)
 * @param keepUntil when it expires (epoch ms)
 */
record CachedFailure(Failure failure, long storedAt, long keepUntil) implements Slot {
    @Override
    public int weight() {
        return 512;
    }
}
