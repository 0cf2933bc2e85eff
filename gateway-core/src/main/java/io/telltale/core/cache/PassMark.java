package io.telltale.core.cache;

/**
 * Remembers that a key's last response was uncacheable, so that requests go to the origin directly
 * instead of queueing behind each other's fills (Varnish's hit-for-pass).
 *
 * @param reason the Cache-Status detail token that explains why
 * @param keepUntil when the mark expires (epoch ms)
 */
record PassMark(String reason, long keepUntil) implements Slot {
    @Override
    public int weight() {
        return 128;
    }
}
