package io.telltale.server;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: event loops hand over a record without formatting or blocking, and one background thread
 * formats and writes the lines through SLF4J (logger {@code telltale.access}).
 *
 * <p>When the queue is full the record is dropped and counted rather than slowing requests down.
 */
final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("telltale.access");

    private final BlockingQueue<AccessRecord> queue = new ArrayBlockingQueue<>(65_536);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;

    AccessLog() {
        writer = new Thread(this::drain, "telltale-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a record for writing. */
    void log(AccessRecord record) {
        if (!queue.offer(record)) {
            dropped.increment();
        }
    }

    /** Returns how many records were dropped because the writer fell behind. */
    long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            try {
                AccessRecord record = queue.poll(200, TimeUnit.MILLISECONDS);
                if (record != null && LOG.isInfoEnabled()) {
                    LOG.info(record.toLine());
                }
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }
}
