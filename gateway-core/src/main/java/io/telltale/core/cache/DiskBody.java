package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;

/**
 * The body of an object that a lookup found on disk: its tier and index entry, to open the file for sending or
 * to read the body when it must be held in memory (a 304 that refreshes it).
 *
 * @param tier the disk tier
 * @param entry the object's index entry
 */
record DiskBody(DiskTier tier, DiskEntry entry) {
    /** Returns the body's length. */
    long length() {
        return entry.bodyLength;
    }

    /** Opens the part of the body to send, or returns null when the file is gone or unreadable. */
    StoredFile open(long first, long count) {
        return tier.open(entry, first, count);
    }

    /** Returns the head then the body in one buffer, or null when the file cannot be read. */
    ByteBuf read(ByteBuf head) {
        byte[] bytes = new byte[head.readableBytes()];
        head.getBytes(head.readerIndex(), bytes);
        ByteBuf block = tier.readBody(entry, bytes);
        if (block == null) {
            return null;
        }
        // The caller wants the body alone: a slice that owns the block's one reference.
        ByteBuf body = block.retainedSlice(bytes.length, (int) entry.bodyLength);
        block.release();
        return body;
    }
}
