package io.telltale.server.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config when its file's content changes, found by polling the file's digest: a Kubernetes
 * ConfigMap volume is updated by swapping a symlink to a new directory, which a watch on the file's inode never
 * sees, while reading the path again always follows the swap.
 */
public final class ConfigWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);

    private final Path file;
    private final Supplier<LoadedConfig> running;
    private final Runnable reload;
    private final ScheduledExecutorService poller;
    private String seen;

    private ConfigWatch(Path file, Supplier<LoadedConfig> running, Runnable reload) {
        this.file = file;
        this.running = running;
        this.reload = reload;
        this.seen = running.get().digest();
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "telltale-config-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Polls the running config's file every {@code interval} and runs {@code reload} (the very reload SIGHUP
     * runs, which logs and counts its result) each time the file's content differs from what it was at the last
     * poll and from the running config; a missing or unreadable file is such a change too, so its reload fails
     * and the next change is tried again.
     */
    public static ConfigWatch start(Supplier<LoadedConfig> running, Runnable reload, Duration interval) {
        Path file = running.get().file();
        if (file == null) {
            throw new IllegalArgumentException("config: not from a file (expected: a config file to watch)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(interval + " (expected: a positive interval)");
        }
        ConfigWatch watch = new ConfigWatch(file, running, reload);
        watch.poller.scheduleWithFixedDelay(watch::poll, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("watching {} for changes every {}", file, interval);
        return watch;
    }

    private void poll() {
        try {
            String now = contentDigest();
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            // A SIGHUP or POST /config/reload may already have loaded this content: loading it again adds nothing.
            if (!now.equals(running.get().digest())) {
                reload.run();
            }
        } catch (RuntimeException | Error e) {
            // An exception would cancel the periodic task: the watch must outlive any one reload.
            LOG.error("config watch: reloading {} failed", file, e);
        }
    }

    private String contentDigest() {
        try {
            return LoadedConfig.digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName() + " " + e.getMessage();
        }
    }

    /** Stops polling; a reload under way finishes. */
    @Override
    public void close() {
        poller.shutdown();
    }
}
