package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The object file format: the body, then a tail (times, flags, key, encoded head, withheld fields), then a fixed
 * trailer with both lengths and checksums. A file is written under a temporary name and renamed when whole, so
 * a file with the final name and a valid trailer is a complete object; one cut short loses its trailer.
 */
final class DiskFiles {
    /** The trailer's length in bytes. */
    static final int TRAILER = 32;
    /** The name ending of a complete object file. */
    static final String OBJECT = ".tto";
    /** The name ending of a file still being written. */
    static final String PART = ".part";

    private static final int MAGIC = 0x54544443;
    private static final int VERSION = 1;
    private static final int FIXED_TAIL = 2 + 4 + 4 + 4 + 4 + 10 * 8;
    private static final int MAX_TAIL = 1 << 20;
    private static final int TAIL_READ = 8192;

    private DiskFiles() {
    }

    /** An object file that cannot be used, and why. */
    static final class CorruptFile extends IOException {
        CorruptFile(String reason) {
            super(reason);
        }
    }

    /**
     * What an object file holds besides its body.
     *
     * @param key the object's key
     * @param status its status
     * @param head its encoded head
     * @param withheld its withheld fields as encoded lines, or null
     * @param times its times
     * @param flags its directive and validator flags
     */
    record Tail(CacheKey key, HttpResponseStatus status, byte[] head, byte[] withheld, StoredTimes times, int flags) {
    }

    /** Returns the path of the object file with this id. */
    static Path path(Path directory, long id, String ending) {
        return directory.resolve(String.format("%016x", id) + ending);
    }

    /** Deletes a file if it is there; one left behind is found again at the next start and dropped or reloaded. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind: see above.
        }
    }

    /** Returns the id in an object file's name, or -1 when the name is not one. */
    static long id(Path file) {
        String name = file.getFileName().toString();
        if (name.length() != 16 + OBJECT.length() || !name.endsWith(OBJECT)) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(name.substring(0, 16), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes a stored response as the object file with this id and returns its index entry. */
    static DiskEntry write(Path directory, long id, StoredResponse stored) throws IOException {
        Path part = path(directory, id, PART);
        ByteBuffer body = stored.bodyNio();
        CRC32 bodyCrc = new CRC32();
        bodyCrc.update(body.duplicate());
        long bodyLength = body.remaining();
        ByteBuffer[] ends = ends(stored, bodyLength, (int) bodyCrc.getValue());
        int tailLength = ends[0].remaining();
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer[] parts = {body, ends[0], ends[1]};
            long left = bodyLength + tailLength + TRAILER;
            while (left > 0) {
                left -= channel.write(parts);
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, path(directory, id, OBJECT), StandardCopyOption.ATOMIC_MOVE);
        return new DiskEntry(stored.key, id, bodyLength, tailLength, (int) bodyCrc.getValue(), stored.keepUntil);
    }

    /**
     * Writes the object file with this id from another's body, copied file to file by the kernel (never read into
     * memory), and new {@code ends} (see {@link #ends}); returns its index entry.
     */
    static DiskEntry rewrite(Path directory, long id, DiskEntry old, ByteBuffer[] ends, long keepUntil)
            throws IOException {
        Path part = path(directory, id, PART);
        int tailLength = ends[0].remaining();
        try (FileChannel from = FileChannel.open(path(directory, old.id, OBJECT), StandardOpenOption.READ);
             FileChannel to = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long copied = 0;
            while (copied < old.bodyLength) {
                long count = from.transferTo(copied, old.bodyLength - copied, to);
                if (count <= 0) {
                    throw new CorruptFile("its body ends early");
                }
                copied += count;
            }
            to.position(old.bodyLength);
            long left = tailLength + TRAILER;
            while (left > 0) {
                left -= to.write(ends);
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, path(directory, id, OBJECT), StandardCopyOption.ATOMIC_MOVE);
        return new DiskEntry(old.key, id, old.bodyLength, tailLength, old.bodyCrc, keepUntil);
    }

    /** Returns what follows the body in an object file: its tail, then its trailer. */
    static ByteBuffer[] ends(StoredResponse stored, long bodyLength, int bodyCrc) {
        ByteBuffer tail = tail(stored);
        CRC32 tailCrc = new CRC32();
        tailCrc.update(tail.duplicate());
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER).putInt(MAGIC).putInt(VERSION).putLong(bodyLength)
                .putInt(tail.remaining()).putInt((int) tailCrc.getValue()).putInt(bodyCrc).putInt(MAGIC).flip();
        return new ByteBuffer[] {tail, trailer};
    }

    private static ByteBuffer tail(StoredResponse stored) {
        byte[] key = stored.key.bytes();
        byte[] head = stored.headBytes();
        byte[] withheld = stored.withheldBytes();
        int withheldLength = withheld == null ? 0 : withheld.length;
        ByteBuffer tail = ByteBuffer.allocate(FIXED_TAIL + key.length + head.length + withheldLength);
        tail.putShort((short) stored.status.code()).putInt(stored.flags()).putInt(key.length).putInt(head.length)
                .putInt(withheldLength);
        StoredTimes t = stored.times();
        for (long time : new long[] {t.requestTime(), t.responseTime(), t.dateMillis(), t.correctedInitialAge(),
            t.lastModifiedMillis(), t.freshUntil(), t.staleWhileRevalidateUntil(), t.staleIfErrorUntil(),
            t.staleIfUnreachableUntil(), t.keepUntil()}) {
            tail.putLong(time);
        }
        tail.put(key).put(head);
        if (withheld != null) {
            tail.put(withheld);
        }
        return tail.flip();
    }

    /** Reads an object file's trailer and tail: its index entry, or {@link CorruptFile} saying what is wrong. */
    static DiskEntry readEntry(FileChannel channel, long id) throws IOException {
        long size = channel.size();
        if (size < TRAILER) {
            throw new CorruptFile("shorter (" + size + " bytes) than its trailer");
        }
        // One read takes the trailer and, for all but unusual heads, the whole tail before it.
        int end = (int) Math.min(size, TAIL_READ);
        ByteBuffer last = readFully(channel, size - end, end);
        ByteBuffer trailer = last.slice(end - TRAILER, TRAILER);
        if (trailer.getInt() != MAGIC || trailer.getInt() != VERSION || trailer.getInt(TRAILER - 4) != MAGIC) {
            throw new CorruptFile("no valid trailer (cut short, or not an object file)");
        }
        long bodyLength = trailer.getLong();
        int tailLength = trailer.getInt();
        int tailCrc = trailer.getInt();
        int bodyCrc = trailer.getInt();
        if (bodyLength < 0 || tailLength < FIXED_TAIL || tailLength > MAX_TAIL || bodyLength + tailLength + TRAILER != size) {
            throw new CorruptFile("length " + size + " does not match its trailer");
        }
        ByteBuffer bytes = tailLength + TRAILER <= end ? last.slice(end - TRAILER - tailLength, tailLength)
                : readFully(channel, bodyLength, tailLength);
        Tail tail = readTail(bytes, true, tailCrc);
        return new DiskEntry(tail.key(), id, bodyLength, tailLength, bodyCrc, tail.times().keepUntil());
    }

    /** Reads and checks an object file's tail. */
    static Tail readTail(FileChannel channel, DiskEntry entry) throws IOException {
        return readTail(readFully(channel, entry.bodyLength, entry.tailLength), false, 0);
    }

    private static Tail readTail(ByteBuffer tail, boolean check, int expectedCrc) throws IOException {
        if (check) {
            CRC32 crc = new CRC32();
            crc.update(tail.duplicate());
            if ((int) crc.getValue() != expectedCrc) {
                throw new CorruptFile("its metadata does not match its checksum");
            }
        }
        int status = tail.getShort();
        int flags = tail.getInt();
        int keyLength = tail.getInt();
        int headLength = tail.getInt();
        int withheldLength = tail.getInt();
        long[] times = new long[10];
        for (int i = 0; i < times.length; i++) {
            times[i] = tail.getLong();
        }
        if (status < 100 || status > 999 || keyLength < 0 || headLength < 0 || withheldLength < 0
                || (long) keyLength + headLength + withheldLength != tail.remaining()) {
            throw new CorruptFile("its metadata is inconsistent");
        }
        byte[] keyBytes = new byte[keyLength];
        byte[] head = new byte[headLength];
        byte[] withheld = withheldLength == 0 ? null : new byte[withheldLength];
        tail.get(keyBytes).get(head);
        if (withheld != null) {
            tail.get(withheld);
        }
        CacheKey key = CacheKey.fromBytes(keyBytes);
        if (key == null) {
            throw new CorruptFile("its key cannot be read");
        }
        StoredTimes storedTimes = new StoredTimes(times[0], times[1], times[2], times[3], times[4], times[5], times[6],
                times[7], times[8], times[9]);
        return new Tail(key, HttpResponseStatus.valueOf(status), head, withheld, storedTimes, flags);
    }

    /** Reads an object's body into a buffer from {@code allocator}, checking its checksum; the caller owns it. */
    static ByteBuf readBody(FileChannel channel, DiskEntry entry, byte[] head, ByteBufAllocator allocator)
            throws IOException {
        ByteBuf block = allocator.directBuffer((int) (head.length + entry.bodyLength));
        try {
            block.writeBytes(head);
            long position = 0;
            while (position < entry.bodyLength) {
                int read = block.writeBytes(channel, position, (int) (entry.bodyLength - position));
                if (read < 0) {
                    throw new CorruptFile("its body ends early");
                }
                position += read;
            }
            CRC32 crc = new CRC32();
            crc.update(block.nioBuffer(head.length, (int) entry.bodyLength));
            if ((int) crc.getValue() != entry.bodyCrc) {
                throw new CorruptFile("its body does not match its checksum");
            }
            return block;
        } catch (IOException | RuntimeException e) {
            block.release();
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptFile("it ends early");
            }
        }
        return buffer.flip();
    }
}
