package io.telltale.server.health;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** Runs a health check's next turn after a delay; tests replace the event loops' timers with their own clock. */
@FunctionalInterface
public interface CheckScheduler {
    /** The event loops' own timers. */
    CheckScheduler LOOPS = (loop, task, delayNanos) -> loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);

    /** Runs {@code task} on {@code loop} once {@code delayNanos} have passed. */
    void schedule(EventLoop loop, Runnable task, long delayNanos);
}
