package io.telltale.core.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The index a clean stop leaves beside the object files, so that the next start reads one file instead of opening
 * every object: each object's id, lengths, body checksum, keep-until time and key. The start takes it (reads and
 * deletes it), so that after a crash there is none and every file is read again; it is trusted only for files the
 * directory still lists, and a file it does not list (or any doubt about it) is read the slow way.
 */
final class DiskIndexFile {
    /** The index's name in the directory. */
    static final String NAME = "index.tti";

    private static final int MAGIC = 0x54544949;
    private static final int VERSION = 1;
    private static final int FIXED = 8 + 8 + 4 + 4 + 8 + 4;

    private DiskIndexFile() {
    }

    /** Writes the entries of objects without a variant (written under a temporary name, then renamed). */
    static void save(Path directory, Collection<? extends Slot> slots) {
        Path part = directory.resolve(NAME + DiskFiles.PART);
        try {
            int size = 12;
            for (Slot slot : slots) {
                if (slot instanceof DiskEntry entry && entry.key.variant() == null) {
                    size += FIXED + entry.key.bytes().length;
                }
            }
            ByteBuffer buffer = ByteBuffer.allocate(size + 4).putInt(MAGIC).putInt(VERSION).putInt(0);
            int count = 0;
            for (Slot slot : slots) {
                if (slot instanceof DiskEntry entry && entry.key.variant() == null && buffer.remaining() >= FIXED + 4
                        + entry.key.bytes().length) {
                    byte[] key = entry.key.bytes();
                    buffer.putLong(entry.id).putLong(entry.bodyLength).putInt(entry.tailLength).putInt(entry.bodyCrc)
                            .putLong(entry.keepUntil()).putInt(key.length).put(key);
                    count++;
                }
            }
            buffer.putInt(8, count);
            CRC32 crc = new CRC32();
            crc.update(buffer.array(), 0, buffer.position());
            buffer.putInt((int) crc.getValue()).flip();
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            Files.move(part, directory.resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Without an index the next start reads every object file: slower, never wrong.
            DiskFiles.delete(part);
        }
    }

    /** Reads and deletes the index a clean stop left: entries by id, empty when there is none or it does not check out. */
    static Map<Long, DiskEntry> take(Path directory) {
        Path file = directory.resolve(NAME);
        Map<Long, DiskEntry> entries = new HashMap<>();
        try {
            if (!Files.exists(file)) {
                return entries;
            }
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
            int end = buffer.limit() - 4;
            CRC32 crc = new CRC32();
            crc.update(buffer.array(), 0, Math.max(0, end));
            if (end < 12 || buffer.getInt(end) != (int) crc.getValue() || buffer.getInt() != MAGIC
                    || buffer.getInt() != VERSION) {
                return entries;
            }
            int count = buffer.getInt();
            for (int i = 0; i < count && buffer.position() + FIXED <= end; i++) {
                long id = buffer.getLong();
                long bodyLength = buffer.getLong();
                int tailLength = buffer.getInt();
                int bodyCrc = buffer.getInt();
                long keepUntil = buffer.getLong();
                int keyLength = buffer.getInt();
                if (keyLength < 0 || keyLength > end - buffer.position()) {
                    entries.clear();
                    return entries;
                }
                byte[] keyBytes = new byte[keyLength];
                buffer.get(keyBytes);
                CacheKey key = CacheKey.fromBytes(keyBytes);
                if (key != null) {
                    entries.put(id, new DiskEntry(key, id, bodyLength, tailLength, bodyCrc, keepUntil));
                }
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            entries.clear();
            return entries;
        } finally {
            DiskFiles.delete(file);
        }
    }
}
