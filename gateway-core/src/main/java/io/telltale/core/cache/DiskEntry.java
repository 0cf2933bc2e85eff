package io.telltale.core.cache;

/**
 * What the disk tier's index keeps in memory for one object file: where it is and how long it is kept; the
 * stored fields, times and body stay in the file until a lookup reads them.
 */
final class DiskEntry implements Slot {
    final CacheKey key;
    final long id;
    final long bodyLength;
    final int tailLength;
    final int bodyCrc;
    private final long keepUntil;

    DiskEntry(CacheKey key, long id, long bodyLength, int tailLength, int bodyCrc, long keepUntil) {
        this.key = key;
        this.id = id;
        this.bodyLength = bodyLength;
        this.tailLength = tailLength;
        this.bodyCrc = bodyCrc;
        this.keepUntil = keepUntil;
    }

    /** Returns the file's length. */
    long fileLength() {
        return bodyLength + tailLength + DiskFiles.TRAILER;
    }

    @Override
    public long keepUntil() {
        return keepUntil;
    }

    @Override
    public int weight() {
        return (int) Math.min(Integer.MAX_VALUE, fileLength());
    }
}
