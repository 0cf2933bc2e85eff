package io.telltale.server.lab;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The flapping scenario's primary: up for {@link #PHASE_SECONDS} seconds, then answering 503 for as long, in turn,
 * so that its group's health checks turn it unhealthy and healthy again while visitors are served throughout.
 */
final class FlappingLabOrigin implements AutoCloseable {
    /** How long each phase, up or down, lasts. */
    static final long PHASE_SECONDS = 20;

    private final long startNanos = System.nanoTime();
    private final LabHttpServer server;

    private FlappingLabOrigin() throws IOException {
        this.server = LabHttpServer.start(exchange -> {
            long phase = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos) / PHASE_SECONDS;
            boolean up = phase % 2 == 0;
            byte[] body = (up ? "the flapping primary, in an up phase\n" : "the flapping primary is down\n")
                    .getBytes(StandardCharsets.US_ASCII);
            LabHttpServer.answer(exchange, up ? 200 : 503, Map.of(
                    HttpHeaderNames.CONTENT_TYPE.toString(), "text/plain; charset=us-ascii",
                    HttpHeaderNames.CACHE_CONTROL.toString(), "no-store"), body);
        });
    }

    /** Starts it on a free loopback port, in an up phase. */
    static FlappingLabOrigin start() throws IOException {
        return new FlappingLabOrigin();
    }

    /** Returns the port it listens on. */
    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
