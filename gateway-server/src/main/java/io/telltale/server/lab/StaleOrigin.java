package io.telltale.server.lab;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stale scenario's origin: answers its first request with a copy that may be served stale on error
 * ({@code max-age=0, stale-if-error=86400}, an ETag), then stops listening, so that every later revalidation
 * is refused and the gateway serves the stored copy.
 */
final class StaleOrigin implements AutoCloseable {
    private final AtomicBoolean answered = new AtomicBoolean();
    private final LabHttpServer server;

    private StaleOrigin() throws IOException {
        this.server = LabHttpServer.start(exchange -> {
            if (!answered.compareAndSet(false, true)) {
                // A request that raced the first one; the outage has begun.
                LabHttpServer.answer(exchange, 503, Map.of(), new byte[0]);
                return;
            }
            byte[] body = ("The one answer of the stale scenario's origin, fetched at " + Instant.now()
                    + ".\nThe origin is down now: reload, and the gateway serves this copy stale.\n")
                    .getBytes(StandardCharsets.US_ASCII);
            LabHttpServer.answer(exchange, 200, Map.of(
                    HttpHeaderNames.CONTENT_TYPE.toString(), "text/plain; charset=us-ascii",
                    HttpHeaderNames.CACHE_CONTROL.toString(), "max-age=0, stale-if-error=86400",
                    HttpHeaderNames.ETAG.toString(), "\"lab-stale-1\"",
                    HttpHeaderNames.CONNECTION.toString(), "close"), body);
            // Stopping waits for this handler to return, so it runs on a thread of its own.
            Thread stop = new Thread(this::close, "lab-stale-origin-down");
            stop.setDaemon(true);
            stop.start();
        });
    }

    /** Starts it on a free loopback port. */
    static StaleOrigin start() throws IOException {
        return new StaleOrigin();
    }

    /** Returns the port it listens on until its first answer. */
    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
