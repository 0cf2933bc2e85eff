package io.telltale.server.observe;

import io.telltale.core.config.AccessLogFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: event loops hand over a record without formatting or blocking, and one background thread
 * formats and writes the lines through SLF4J (logger {@code telltale.access}), each drained batch of lines as
 * one logging event; each line is {@code key=value} fields or one JSON object, as {@code observe.accessLogFormat}
 * says.
 *
 * <p>When the queue is full the record is dropped and counted rather than slowing requests down.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("telltale.access");
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private static final int CAPACITY = 65_536;

    // Lock-free: a lock shared with the writer thread would make event loops wait on it (a futex call each).
    private final Queue<AccessRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile AccessLogFormat format = AccessLogFormat.TEXT;

    public AccessLog() {
        writer = new Thread(this::drain, "telltale-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a record for writing. */
    public void log(AccessRecord record) {
        if (queued.incrementAndGet() > CAPACITY) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.offer(record);
    }

    /** Sets how lines are written from the next batch on: a config reload may change it. */
    public void format(AccessLogFormat format) {
        this.format = format;
    }

    /** Returns how many records were dropped because the writer fell behind. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<AccessRecord> batch = new ArrayList<>(1024);
        StringBuilder lines = new StringBuilder(64 * 1024);
        AccessRecord.Clock clock = new AccessRecord.Clock();
        while (running || !queue.isEmpty()) {
            for (AccessRecord record; batch.size() < 1024 && (record = queue.poll()) != null; ) {
                batch.add(record);
            }
            queued.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                // Parking instead of a blocking take: event loops then never pay for waking this thread.
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            if (LOG.isInfoEnabled()) {
                // One event per drained batch: under load many lines leave in one write, not one write each.
                lines.setLength(0);
                boolean json = format == AccessLogFormat.JSON;
                for (int i = 0; i < batch.size(); i++) {
                    if (i > 0) {
                        lines.append('\n');
                    }
                    if (json) {
                        batch.get(i).appendJsonTo(lines, clock);
                    } else {
                        batch.get(i).appendTo(lines, clock);
                    }
                }
                LOG.info(lines.toString());
            }
            batch.clear();
        }
    }
}
