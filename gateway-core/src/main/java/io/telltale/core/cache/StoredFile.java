package io.telltale.core.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A part of an object file to send as a response body, from an open channel the holder owns: write it (as a
 * file region, or in chunks under TLS) and let that close the channel, or {@link #close()} it.
 *
 * @param channel the open file
 * @param position where the part starts
 * @param count how many bytes it has
 */
public record StoredFile(FileChannel channel, long position, long count) {
    /** Closes the channel when the part is not written. */
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a read-only file has nothing left to report.
        }
    }
}
