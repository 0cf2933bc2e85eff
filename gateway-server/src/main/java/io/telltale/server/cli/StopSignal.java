package io.telltale.server.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop on the main thread, so that the process drains and then exits 0
 * (the JVM's own handling would exit 143 or 130 after its shutdown hooks).
 */
final class StopSignal {
    private final CountDownLatch signalled = new CountDownLatch(1);

    private StopSignal() {
    }

    /** Takes over SIGTERM and SIGINT from now on; install it before saying the process is ready. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> stop.signalled.countDown());
        }
        return stop;
    }

    /** Blocks until SIGTERM or SIGINT, then runs the stop once; a plain JVM shutdown also runs it. */
    void awaitThen(Runnable stop) throws InterruptedException {
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable once = () -> {
            if (stopped.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(once, "telltale-stop"));
        signalled.await();
        once.run();
    }
}
