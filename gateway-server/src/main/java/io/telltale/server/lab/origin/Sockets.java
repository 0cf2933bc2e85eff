package io.telltale.server.lab.origin;

import java.io.Closeable;
import java.io.IOException;

/** Closing helpers for the plain-socket origins. */
final class Sockets {
    private Sockets() {
    }

    /** Closes a socket at shutdown, where a failure to close leaves nothing to do. */
    static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
    }
}
