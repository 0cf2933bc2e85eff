package io.telltale.server.reload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGHUP into a config reload, as nginx and HAProxy do. The JVM's own handling of SIGHUP would run the
 * shutdown hooks and exit; this handler replaces it, and nothing a reload throws ends the process.
 */
public final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /**
     * Runs {@code reload} on each SIGHUP from now on; returns false (and logs why) when this JVM does not let
     * the process handle SIGHUP, as with {@code -Xrs} or on a platform without it.
     */
    public static boolean install(Runnable reload) {
        try {
            // The JVM runs each signal's handler on a thread of its own, so a slow reload blocks no I/O.
            Signal.handle(new Signal("HUP"), signal -> {
                try {
                    reload.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("config reload on SIGHUP failed", e);
                }
            });
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here ({}): reload with POST /config/reload on the admin listener",
                    e.getMessage());
            return false;
        }
    }
}
