package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gibibyte passes through the gateway in each direction while the gateway's pooled direct memory stays
 * small: bodies are streamed with backpressure, never aggregated. The origin and client use plain sockets,
 * so Netty's memory figures are the gateway's alone.
 */
class StreamingTest {
    private static final long GIB = 1L << 30;
    private static final long MEMORY_BOUND = 64L << 20;

    private TestOrigin origin;
    private GatewayFixture gateway;
    private MemoryWatch watch;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "maxBodySize: 2GiB");
        watch = new MemoryWatch();
    }

    @AfterEach
    void stop() throws IOException {
        watch.close();
        gateway.close();
        origin.close();
    }

    @Test
    void streamsAGibibyteDownloadWithBoundedMemoryAndStopsReadingForASlowClient() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.getOutputStream().write("GET /length/1073741824 HTTP/1.1\r\nHost: www.test\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: 1073741824");

            // The client reads nothing: the origin must soon be unable to send more.
            await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(500))
                    .until(() -> origin.bodyBytesWritten() < MEMORY_BOUND);

            long received = drain(in, GIB);
            assertThat(received).isEqualTo(GIB);
        }
        assertThat(watch.peak()).isBetween(1L, MEMORY_BOUND);
    }

    @Test
    void streamsAGibibyteChunkedUploadWithBoundedMemory() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: www.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = TestOrigin.pattern(65536);
            byte[] size = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (long sent = 0; sent < GIB; sent += block.length) {
                out.write(size);
                out.write(block);
                out.write('\r');
                out.write('\n');
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(new String(in.readNBytes(10), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(GIB));
        }
        assertThat(origin.requests().get(0).bodyBytes()).isEqualTo(GIB);
        assertThat(watch.peak()).isBetween(1L, MEMORY_BOUND);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }

    private static long drain(InputStream in, long expected) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        while (total < expected) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Samples the default allocator's direct memory in the background and keeps the peak. */
    private static final class MemoryWatch implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        MemoryWatch() {
            ByteBufAllocatorMetricProvider metrics = (ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT;
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(metrics.metric().usedDirectMemory(), Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            }, "memory-watch");
            thread.setDaemon(true);
            thread.start();
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() {
            running.set(false);
        }
    }
}
