package io.telltale.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The body of a fill that streams into an object file, read by the requests that follow the fill while it is
 * still being written: each reads what is already written at its own pace and waits for more, so a slow
 * client holds no memory and slows no one else.
 *
 * <p>Every reader holds a reference ({@link #retain()}, {@link #release()}); the file closes with the last one.
 */
public final class FillBody {
    private final FileChannel channel;
    private final List<Waiter> waiters = new ArrayList<>();
    private long written;
    private long length = -1;
    private boolean broken;
    private int refs = 1;

    private record Waiter(long position, Executor executor, Runnable task) {
    }

    FillBody(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Returns a body already whole in an object file (the part a lookup opened), for a reader that takes it in
     * pieces from {@code file.position()} as it takes a fill's; the file closes with the last reference.
     */
    public static FillBody whole(StoredFile file) {
        FillBody body = new FillBody(file.channel());
        body.completed(file.position() + file.count());
        return body;
    }

    /** Takes a reference for a reader; false when the file is already closed. */
    public synchronized boolean retain() {
        if (refs <= 0) {
            return false;
        }
        refs++;
        return true;
    }

    /** Gives a reference back; the last one closes the file. */
    public void release() {
        synchronized (this) {
            if (--refs != 0) {
                return;
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Only read from here on: closing has nothing left to report.
        }
    }

    /** Returns the body's length once it is whole, else -1. */
    public synchronized long length() {
        return length;
    }

    /** Returns whether the fill ended without a whole body: what was not read yet will never come. */
    public synchronized boolean broken() {
        return broken;
    }

    /**
     * Reads at most {@code max} written bytes from {@code position} into a buffer from {@code allocator} (the caller
     * owns it); null when nothing past {@code position} is written yet. Hold a reference.
     */
    public ByteBuf read(long position, int max, ByteBufAllocator allocator) throws IOException {
        long available;
        synchronized (this) {
            available = written - position;
        }
        if (available <= 0) {
            return null;
        }
        int count = (int) Math.min(max, available);
        ByteBuf buffer = allocator.directBuffer(count);
        try {
            long at = position;
            while (buffer.isWritable()) {
                int read = buffer.writeBytes(channel, at, buffer.writableBytes());
                if (read < 0) {
                    throw new IOException("the object file ends before byte " + (position + count));
                }
                at += read;
            }
            return buffer;
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    /**
     * Runs {@code task} on {@code executor} once bytes past {@code position} are written or the body ends (whole or
     * broken); at once when that is already so.
     */
    public void await(long position, Executor executor, Runnable task) {
        synchronized (this) {
            if (written <= position && length < 0 && !broken) {
                waiters.add(new Waiter(position, executor, task));
                return;
            }
        }
        run(executor, task);
    }

    void advanced(long bytes) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            written = bytes;
            for (int i = waiters.size() - 1; i >= 0; i--) {
                if (waiters.get(i).position < bytes) {
                    ready.add(waiters.remove(i));
                }
            }
        }
        wake(ready);
    }

    void completed(long bytes) {
        List<Waiter> ready;
        synchronized (this) {
            written = bytes;
            length = bytes;
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        wake(ready);
    }

    void broke() {
        List<Waiter> ready;
        synchronized (this) {
            broken = true;
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        wake(ready);
    }

    private static void wake(List<Waiter> ready) {
        for (Waiter waiter : ready) {
            run(waiter.executor, waiter.task);
        }
    }

    private static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // The reader's loop is shutting down: its connection, and its reference, go with it.
        }
    }
}
