package io.telltale.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin on one fixed loopback port whose behaviour a test scripts, mode by mode, as an origin that flaps.
 *
 * <p>{@code /obj/NAME} answers, when healthy, {@code object NAME...} padded to 64 bytes with {@code ETag: "NAME"} and
 * the configured Cache-Control; 304 to a matching If-None-Match; 206 with the rest to {@code Range: bytes=N-} whose
 * If-Range matches. The other modes refuse the connection, reset it after reading the request, answer 503 with
 * {@code Retry-After: 1}, never answer, or send the head and the first bytes and then nothing.
 */
final class FlappingOrigin implements AutoCloseable {
    /** What the origin does with the next request (or connection). */
    enum Mode {
        HEALTHY, REFUSING, RESETTING, UNAVAILABLE, STALLING, TRICKLING
    }

    /** One request as the origin received it, and the status it answered (0 when it answered none). */
    record Request(String target, Map<String, String> headers, Mode mode, int status) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static final int BODY_LENGTH = 64;
    static final int TRICKLED = 10;

    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile ServerSocket server;
    private volatile Mode mode = Mode.HEALTHY;
    private volatile String cacheControl = "max-age=60";
    private volatile String unavailableCacheControl;
    private volatile CountDownLatch held;
    private final AtomicInteger arrivals = new AtomicInteger();

    FlappingOrigin() throws IOException {
        server = listen(0);
        port = server.getLocalPort();
        startAccepting(server);
    }

    int port() {
        return port;
    }

    /** Switches the behaviour; refusing closes the listening socket, any other mode opens it again. */
    synchronized void mode(Mode next) throws IOException {
        if (next == Mode.REFUSING && server != null) {
            server.close();
            server = null;
        } else if (next != Mode.REFUSING && server == null) {
            server = listen(port);
            startAccepting(server);
        }
        mode = next;
    }

    void cacheControl(String value) {
        cacheControl = value;
    }

    /** Sets the Cache-Control of the 503 answers, or null for none (no freshness). */
    void unavailableCacheControl(String value) {
        unavailableCacheControl = value;
    }

    /** Holds every answer until {@link #release} (or close), so that requests can gather behind one in flight. */
    void holdAnswers() {
        held = new CountDownLatch(1);
    }

    /** Lets the held answers go. */
    void release() {
        CountDownLatch latch = held;
        held = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Returns how many requests have arrived, held or answered. */
    int arrivals() {
        return arrivals.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long requestsFor(String target) {
        return requests.stream().filter(r -> r.target().equals(target)).count();
    }

    static String body(String name) {
        String text = "object " + name + " ";
        StringBuilder body = new StringBuilder(text);
        while (body.length() < BODY_LENGTH) {
            body.append((char) ('a' + body.length() % 26));
        }
        return body.substring(0, BODY_LENGTH);
    }

    @Override
    public synchronized void close() throws IOException {
        closing.countDown();
        release();
        if (server != null) {
            server.close();
        }
        threads.shutdownNow();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return socket;
    }

    private void startAccepting(ServerSocket listening) {
        threads.execute(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket socket = listening.accept();
                    threads.execute(() -> serve(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = HttpLines.readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line; !(line = HttpLines.readLine(in)).isEmpty(); ) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                String target = requestLine.split(" ")[1];
                arrivals.incrementAndGet();
                CountDownLatch latch = held;
                if (latch != null) {
                    latch.await(30, TimeUnit.SECONDS);
                }
                Mode now = mode;
                if (now == Mode.STALLING || now == Mode.TRICKLING) {
                    // Counted as it arrives: its answer never ends.
                    requests.add(new Request(target, headers, now, 0));
                    answer(now, target, headers, socket, out);
                    return;
                }
                ByteArrayOutputStream reply = new ByteArrayOutputStream();
                int status = answer(now, target, headers, socket, reply);
                // Counted before the answer leaves, so a test that has read the answer also sees the request.
                requests.add(new Request(target, headers, now, status));
                reply.writeTo(out);
                out.flush();
                if (status == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // The gateway went away; the test asserts what it needs.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers one request in a mode; returns the status sent, or 0 when the connection must end unanswered. */
    private int answer(Mode now, String target, Map<String, String> headers, Socket socket, OutputStream out)
            throws IOException, InterruptedException {
        String name = target.substring(target.lastIndexOf('/') + 1);
        String etag = "\"" + name + "\"";
        byte[] body = body(name).getBytes(StandardCharsets.US_ASCII);
        switch (now) {
            case RESETTING -> {
                socket.setSoLinger(true, 0);
                return 0;
            }
            case STALLING -> {
                closing.await(30, TimeUnit.SECONDS);
                return 0;
            }
            case UNAVAILABLE -> {
                String cc = unavailableCacheControl == null ? "" : "Cache-Control: " + unavailableCacheControl + "\r\n";
                write(out, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n" + cc
                        + "Content-Length: 4\r\n\r\nbusy");
                return 503;
            }
            case TRICKLING -> {
                write(out, "HTTP/1.1 200 OK\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n");
                out.write(body, 0, TRICKLED);
                out.flush();
                closing.await(30, TimeUnit.SECONDS);
                return 0;
            }
            default -> {
                return healthy(etag, body, headers, out);
            }
        }
    }

    private int healthy(String etag, byte[] body, Map<String, String> headers, OutputStream out) throws IOException {
        String range = headers.get("range");
        if (etag.equals(headers.get("if-none-match"))) {
            write(out, "HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl + "\r\n\r\n");
            return 304;
        }
        if (range != null && range.startsWith("bytes=") && range.endsWith("-") && etag.equals(headers.get("if-range"))) {
            int from = Integer.parseInt(range.substring(6, range.length() - 1));
            write(out, "HTTP/1.1 206 Partial Content\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl
                    + "\r\nContent-Range: bytes " + from + "-" + (body.length - 1) + "/" + body.length
                    + "\r\nContent-Length: " + (body.length - from) + "\r\n\r\n");
            out.write(body, from, body.length - from);
            out.flush();
            return 206;
        }
        write(out, "HTTP/1.1 200 OK\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl
                + "\r\nContent-Length: " + body.length + "\r\n\r\n");
        out.write(body);
        out.flush();
        return 200;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Returns the requests' targets and modes, for a failure message. */
    @Override
    public String toString() {
        List<String> seen = new ArrayList<>();
        for (Request request : requests) {
            seen.add(request.target() + " " + request.mode() + " " + request.status());
        }
        return seen.toString();
    }
}
