package io.telltale.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP origin that reads each request and answers 200 only after a set delay (a slow first byte), with
 * the connection headers it is given.
 */
final class SlowOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final long delayMillis;
    private final String connectionHeaders;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(4);

    SlowOrigin(long delayMillis) throws IOException {
        this(delayMillis, "Connection: close\r\n");
    }

    /** Starts an origin whose answers carry these header lines (each ending in CRLF), e.g. a Keep-Alive header. */
    SlowOrigin(long delayMillis, String connectionHeaders) throws IOException {
        this.delayMillis = delayMillis;
        this.connectionHeaders = connectionHeaders;
        this.server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> readThenAnswerLater(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void readThenAnswerLater(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            int matched = 0;
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    socket.close();
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            threads.schedule(() -> answer(socket), delayMillis, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            closeQuietly(socket);
        }
    }

    private void answer(Socket socket) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" + connectionHeaders + "\r\nslow\n")
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The client gave up first, as a CDN with a shorter first-byte timeout does.
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed by the peer.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
