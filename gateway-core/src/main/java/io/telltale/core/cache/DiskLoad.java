package io.telltale.core.cache;

import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a disk tier's directory at start: each object file from the entry a clean stop's index file kept for it
 * when its length agrees, else from its own trailer and tail. Writes cut short and expired files are deleted, and
 * a corrupt file too, with one log line.
 */
final class DiskLoad {
    private static final Logger LOG = LoggerFactory.getLogger(DiskTier.class);

    /** Where a live object file goes: its entry, and the names its response varies on (null without a variant). */
    interface Found {
        /** Takes one object file's entry. */
        void found(DiskEntry entry, AsciiString[] varyNames);
    }

    private final Path directory;
    private final long now;
    private final BiConsumer<String, IOException> failed;
    private long nextId = 1;
    private long dropped;

    DiskLoad(Path directory, long now, BiConsumer<String, IOException> failed) {
        this.directory = directory;
        this.now = now;
        this.failed = failed;
    }

    /** Reads the directory and hands each live object file to {@code found}. */
    void run(Found found) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            failed.accept("cannot use the directory " + directory, e);
            return;
        }
        Map<Long, DiskEntry> saved = DiskIndexFile.take(directory);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (file.getFileName().toString().endsWith(DiskFiles.PART)) {
                    // A write cut short by a stop or a crash: never an object.
                    DiskFiles.delete(file);
                    continue;
                }
                long id = DiskFiles.id(file);
                if (id >= 0) {
                    nextId = Math.max(nextId, id + 1);
                    load(file, id, saved.get(id), found);
                }
            }
        } catch (IOException e) {
            failed.accept("cannot list the directory " + directory, e);
        }
    }

    /** Returns the id after the highest one found, for the next file to write. */
    long nextId() {
        return nextId;
    }

    /** Returns how many corrupt files were dropped. */
    long dropped() {
        return dropped;
    }

    private void load(Path file, long id, DiskEntry saved, Found found) {
        if (saved != null && file.toFile().length() == saved.fileLength()) {
            keep(file, saved, null, found);
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            DiskEntry entry = DiskFiles.readEntry(channel, id);
            AsciiString[] varyNames = null;
            if (entry.key.variant() != null) {
                DiskFiles.Tail tail = DiskFiles.readTail(channel, entry);
                varyNames = VaryNames.of(StoredResponse.restored(tail, Unpooled.wrappedBuffer(tail.head()), null)
                        .headers());
            }
            keep(file, entry, varyNames, found);
        } catch (IOException e) {
            dropped++;
            LOG.warn("cache disk tier: dropped {}: {}", file, e.getMessage());
            DiskFiles.delete(file);
        }
    }

    private void keep(Path file, DiskEntry entry, AsciiString[] varyNames, Found found) {
        if (now >= entry.keepUntil()) {
            DiskFiles.delete(file);
        } else {
            found.found(entry, varyNames);
        }
    }
}
