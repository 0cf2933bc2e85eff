package io.telltale.server;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs what a slow peer does (a client trickling a body, an origin sending hints) on a timer, a fixed gap apart: the
 * pace is the behaviour under test, so it is scheduled rather than slept, and nothing here waits for a result.
 */
final class Pace {
    /** One step of the peer; I/O fails when the other side has hung up, which ends the pace. */
    interface Step {
        void run(int index) throws IOException;
    }

    private Pace() {
    }

    /** Runs {@code times} steps, the first one gap from now, and returns when all ran or one failed. */
    static void every(long gapMillis, int times, Step step) throws IOException, InterruptedException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        timer.scheduleAtFixedRate(() -> {
            int index = next.getAndIncrement();
            if (index >= times || done.isDone()) {
                return;
            }
            try {
                step.run(index);
                if (index == times - 1) {
                    done.complete(null);
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, gapMillis, gapMillis, TimeUnit.MILLISECONDS);
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e.getCause();
        } finally {
            timer.shutdownNow();
        }
    }
}
