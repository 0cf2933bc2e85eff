package io.telltale.server;

import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.telltale.server.health.CheckScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Holds every scheduled health check until the test runs it, so checks are counted instead of waited for. */
final class HandScheduler implements CheckScheduler {
    private record Pending(EventLoop loop, Runnable task, long delayNanos) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final List<Long> delays = new ArrayList<>();

    @Override
    public void schedule(EventLoop loop, Runnable task, long delayNanos) {
        synchronized (delays) {
            delays.add(delayNanos);
        }
        pending.add(new Pending(loop, task, delayNanos));
    }

    /** Runs one check of every origin and waits until each has ended and scheduled its next. */
    void round() {
        end(begin());
    }

    /** Starts one check of every origin and returns how many started. */
    int begin() {
        List<Pending> due = new ArrayList<>(pending);
        pending.removeAll(due);
        due.forEach(p -> p.loop().execute(p.task()));
        return due.size();
    }

    /** Waits until the checks begun have ended and each scheduled its next. */
    void end(int begun) {
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() == begun);
    }

    /** Returns every delay asked for so far, in order. */
    List<Long> delays() {
        synchronized (delays) {
            return List.copyOf(delays);
        }
    }
}
