package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Connects to whichever of a name's addresses answers first, as Happy Eyeballs does (RFC 8305 §5): the next
 * address is tried when the one before it fails or a fixed delay after it began, whichever comes first, and
 * the first connection established wins while the others are closed.
 *
 * <p>Everything runs on one event loop, so no state needs to be shared across threads.
 */
final class AddressRace {
    /** Opens a connection to one address. */
    interface Dialer {
        /** Starts connecting within the time given, or returns null when no connection may be opened now. */
        ChannelFuture dial(InetAddress address, long timeoutMillis);
    }

    /** Hears the race's end, once. */
    interface Finish {
        /** The connection to {@code addresses().get(index)} was established first. */
        void won(int index, Channel channel, Tries tries);

        /** No address could be connected to. */
        void lost(Tries tries);
    }

    /**
     * What happened to each address, by index.
     *
     * @param causes why each failed, null when it did not (or was not tried)
     * @param startNanos when each was tried, 0 when it was not
     * @param endNanos when each attempt ended
     */
    record Tries(Throwable[] causes, long[] startNanos, long[] endNanos) {
    }

    private final EventLoop loop;
    private final List<InetAddress> addresses;
    private final long delayNanos;
    private final long deadlineNanos;
    private final LongSupplier nanoClock;
    private final Dialer dialer;
    private final Finish finish;
    private final ChannelFuture[] dialed;
    private final Tries tries;
    private ScheduledFuture<?> timer;
    private int next;
    private int pending;
    private boolean over;

    AddressRace(EventLoop loop, List<InetAddress> addresses, long delayNanos, long deadlineNanos,
            LongSupplier nanoClock, Dialer dialer, Finish finish) {
        this.loop = loop;
        this.addresses = addresses;
        this.delayNanos = delayNanos;
        this.deadlineNanos = deadlineNanos;
        this.nanoClock = nanoClock;
        this.dialer = dialer;
        this.finish = finish;
        this.dialed = new ChannelFuture[addresses.size()];
        this.tries = new Tries(new Throwable[addresses.size()], new long[addresses.size()], new long[addresses.size()]);
    }

    /** Starts the first connection; must run on the loop. */
    void start() {
        startNext();
    }

    private void startNext() {
        timer = null;
        while (!over && next < addresses.size()) {
            long now = nanoClock.getAsLong();
            long remainingMillis = (deadlineNanos - now) / 1_000_000;
            if (next == 0) {
                // The first address is always tried, however short the timeout.
                remainingMillis = Math.max(1, remainingMillis);
            } else if (remainingMillis <= 0) {
                break;
            }
            int index = next++;
            tries.startNanos()[index] = now;
            ChannelFuture f = dialer.dial(addresses.get(index), remainingMillis);
            if (f == null) {
                tries.causes()[index] = new ConnectionBudgetExhausted();
                tries.endNanos()[index] = now;
                continue;
            }
            dialed[index] = f;
            pending++;
            f.addListener(done -> ended(index, f));
            // A connect that ended at once has already handed the turn on from its listener.
            if (!f.isDone() && next < addresses.size()) {
                timer = loop.schedule(this::startNext, delayNanos, TimeUnit.NANOSECONDS);
            }
            return;
        }
        if (!over && pending == 0) {
            over = true;
            finish.lost(tries);
        }
    }

    private void ended(int index, ChannelFuture f) {
        if (over) {
            if (f.isSuccess()) {
                f.channel().close();
            }
            return;
        }
        pending--;
        tries.endNanos()[index] = nanoClock.getAsLong();
        if (f.isSuccess()) {
            over = true;
            cancelTimer();
            for (int i = 0; i < dialed.length; i++) {
                if (i != index && dialed[i] != null && !dialed[i].isDone()) {
                    tries.endNanos()[i] = tries.endNanos()[index];
                    dialed[i].channel().close();
                }
            }
            finish.won(index, f.channel(), tries);
            return;
        }
        tries.causes()[index] = f.cause();
        if (next < addresses.size()) {
            // A failed address hands its turn on at once rather than after the delay (RFC 8305 §5).
            cancelTimer();
            startNext();
        } else if (pending == 0) {
            over = true;
            finish.lost(tries);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The origin's connection budget had no room for another address's connection. */
    static final class ConnectionBudgetExhausted extends Exception {
        ConnectionBudgetExhausted() {
            super("connection budget exhausted", null, false, false);
        }
    }
}
