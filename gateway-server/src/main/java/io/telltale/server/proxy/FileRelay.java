package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.telltale.core.cache.FillAbort;
import io.telltale.core.cache.FillBody;
import java.io.IOException;

/**
 * Relays the body of a fill that streams to disk to one follower, from the object file, at its client's pace:
 * it reads what is written while the client takes it, waits for the fill when it caught up, and waits for the
 * client when the client falls behind, so no follower holds the body in memory or holds anyone else up.
 */
final class FileRelay {
    private static final int PIECE = 64 * 1024;

    private final FillSubscription subscription;
    private final ProxyExchange exchange;
    private final FillBody body;
    private long position;
    private boolean waiting;
    private boolean stopped;

    FileRelay(FillSubscription subscription, ProxyExchange exchange, FillBody body, long position) {
        this.subscription = subscription;
        this.exchange = exchange;
        this.body = body;
        this.position = position;
    }

    /** Sends on once the client took what was written, unless the relay waits for the fill instead. */
    void clientWritable() {
        if (!waiting) {
            pump();
        }
    }

    /** Stops relaying and lets the file go; idempotent. */
    void stop() {
        if (!stopped) {
            stopped = true;
            body.release();
        }
    }

    /** Sends what is written while the client takes it; on the exchange's event loop. */
    void pump() {
        waiting = false;
        if (exchange.facts().head()) {
            // A HEAD sends no body: the head it had is its whole answer, whatever the fill still has to write.
            stop();
            subscription.onComplete();
            return;
        }
        while (!stopped && exchange.downstream().writable()) {
            ByteBuf piece;
            try {
                piece = body.read(position, PIECE, ByteBufAllocator.DEFAULT);
            } catch (IOException e) {
                subscription.onAbort(new FillAbort(FillAbort.Reason.STALLED, true, 0, null));
                return;
            }
            if (piece != null) {
                position += piece.readableBytes();
                subscription.onContent(piece);
                continue;
            }
            long length = body.length();
            if (length >= 0 && position >= length) {
                stop();
                subscription.onComplete();
            } else if (body.broken()) {
                // The fill gave up: fetch the rest from the origin, as a follower of a stalled fill does.
                subscription.onAbort(new FillAbort(FillAbort.Reason.STALLED, true, 0, null));
            } else {
                waiting = true;
                body.await(position, exchange.downstream().loop(), this::pump);
            }
            return;
        }
    }
}
