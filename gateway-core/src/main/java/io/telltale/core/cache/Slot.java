package io.telltale.core.cache;

/** What the store keeps under a key: a response, a Vary index, a hit-for-pass mark or a gateway failure. */
sealed interface Slot permits StoredResponse, VaryIndex, PassMark, CachedFailure, DiskEntry {
    /** Returns the wall-clock time (epoch ms) after which the slot is gone. */
    long keepUntil();

    /** Returns the bytes the slot costs against the cache's maximum size. */
    int weight();

    /** Drops the store's hold on what the slot owns; called once when the store removes it. */
    default void release() {
    }
}
