package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * An object file written as its fill streams in: the body is appended under the temporary name ({@code .part})
 * as it arrives, and only a whole body gets its tail, trailer and final name, so no reader of the directory ever
 * takes a part for an object. Followers of the fill read the body meanwhile through {@link #body()}.
 */
final class DiskFill {
    private final Path directory;
    private final long id;
    private final FileChannel channel;
    private final FillBody body;
    private final CRC32 crc = new CRC32();
    private long size;
    private boolean ended;

    private DiskFill(Path directory, long id, FileChannel channel) {
        this.directory = directory;
        this.id = id;
        this.channel = channel;
        this.body = new FillBody(channel);
    }

    /** Creates the part file with this id. */
    static DiskFill create(Path directory, long id) throws IOException {
        FileChannel channel = FileChannel.open(DiskFiles.path(directory, id, DiskFiles.PART),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new DiskFill(directory, id, channel);
    }

    /** Returns the body as its readers see it. */
    FillBody body() {
        return body;
    }

    /** Returns the body bytes written so far. */
    long size() {
        return size;
    }

    /** Appends a piece of the body (the caller keeps its buffer) and lets waiting readers on. */
    void append(ByteBuf chunk) throws IOException {
        for (ByteBuffer part : chunk.nioBuffers()) {
            crc.update(part.duplicate());
            while (part.hasRemaining()) {
                size += channel.write(part, size);
            }
        }
        body.advanced(size);
    }

    /** Writes the tail and trailer after the whole body, gives the file its final name and returns its entry. */
    DiskEntry finish(StoredResponse head) throws IOException {
        ByteBuffer[] ends = DiskFiles.ends(head, size, (int) crc.getValue());
        int tailLength = ends[0].remaining();
        long position = size;
        for (ByteBuffer end : ends) {
            while (end.hasRemaining()) {
                position += channel.write(end, position);
            }
        }
        Files.move(DiskFiles.path(directory, id, DiskFiles.PART), DiskFiles.path(directory, id, DiskFiles.OBJECT),
                StandardCopyOption.ATOMIC_MOVE);
        ended = true;
        body.completed(size);
        body.release();
        return new DiskEntry(head.key, id, size, tailLength, (int) crc.getValue(), head.keepUntil);
    }

    /** Gives the file up: its readers learn that the rest will not come, and the part file is deleted. */
    void abandon() {
        if (ended) {
            return;
        }
        ended = true;
        body.broke();
        body.release();
        DiskFiles.delete(DiskFiles.path(directory, id, DiskFiles.PART));
    }
}
