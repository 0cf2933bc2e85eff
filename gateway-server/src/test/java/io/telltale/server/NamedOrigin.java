package io.telltale.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 origin bound to a chosen address and port (127.0.0.x), answering every GET with its own
 * name as the body, or with a status the test sets, so a test sees which of several origins served.
 */
final class NamedOrigin implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile String extraHeaders = "";
    private volatile CountDownLatch held = new CountDownLatch(0);

    private NamedOrigin(String name, ServerSocket server) {
        this.name = name;
        this.server = server;
        threads.execute(this::acceptLoop);
    }

    /** Starts an origin named {@code name} on the address and port (0 for any free port). */
    static NamedOrigin start(String name, InetSocketAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 50);
        return new NamedOrigin(name, server);
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    /** Returns the address it listens on, as text. */
    String address() {
        return server.getInetAddress().getHostAddress();
    }

    /** Returns how many requests it answered. */
    int requests() {
        return requests.get();
    }

    /** Holds every following response until {@link #release()}: the requests stay in flight. */
    void holdResponses() {
        held = new CountDownLatch(1);
    }

    /** Lets held responses go. */
    void release() {
        held.countDown();
    }

    /** Answers every following request with this status (and these header lines, each ending in CRLF). */
    void answer(int newStatus, String headers) {
        extraHeaders = headers;
        status = newStatus;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException | java.util.concurrent.RejectedExecutionException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))) {
            OutputStream out = socket.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long length = 0;
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(h.substring(15).trim());
                    }
                }
                in.skip(length);
                requests.incrementAndGet();
                held.await();
                byte[] body = name.getBytes(StandardCharsets.ISO_8859_1);
                // One write per response: a head and a body written apart would meet Nagle and delayed ACKs.
                out.write((("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length
                        + "\r\nCache-Control: no-store\r\n" + extraHeaders + "\r\n") + name)
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | InterruptedException closed) {
            // The gateway closed the connection, or the test stopped the origin.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        threads.shutdownNow();
    }
}
