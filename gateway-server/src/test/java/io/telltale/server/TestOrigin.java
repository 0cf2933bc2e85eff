package io.telltale.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 origin on plain blocking sockets, so that Netty's memory figures in a test are the
 * gateway's alone. It counts connections and records each request's head.
 *
 * <p>Paths: {@code /echo} answers the request head as text; {@code /bytes/N} streams N bytes chunked;
 * {@code /length/N} sends N bytes with Content-Length; {@code /upload} reads the body and answers its size;
 * {@code /hold} waits for {@link #release()}; {@code /raw} answers the test's raw bytes then closes;
 * {@code /kept-raw} answers them and reads on;
 * {@code /cacheable/ETAG} answers with the configured Cache-Control and that ETag (304 when it matches), and
 * {@code /held/ETAG} does the same after {@link #release()} (both answer {@link #failWith(int)}'s status
 * instead when it is set); {@code /validated/N} sends N bytes as {@code /length/N} does with the configured
 * Cache-Control and an ETag, and a 304 with {@code X-Refreshed: yes} when it matches; {@code /vary/NAME} answers with
 * {@code Vary: Accept-Encoding}, the configured Cache-Control and a body naming the request's Accept-Encoding.
 */
final class TestOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bodyBytesWritten = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private volatile byte[] raw = new byte[0];
    private volatile String cacheControl = "max-age=60";
    private volatile int failStatus;

    /** One request as the origin received it. */
    record Request(String method, String target, Map<String, List<String>> headers, long bodyBytes) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }
    }

    TestOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void cacheControl(String value) {
        cacheControl = value;
    }

    void failWith(int status) {
        failStatus = status;
    }

    void respondRaw(String bytes) {
        raw = bytes.getBytes(StandardCharsets.ISO_8859_1);
    }

    boolean awaitHolding(long seconds) throws InterruptedException {
        return holding.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        held.countDown();
    }

    @Override
    public void close() throws IOException {
        held.countDown();
        server.close();
        // A closed origin is down for its pooled connections too: a thread blocked reading one would serve it on.
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                connections.incrementAndGet();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            OutputStream out = socket.getOutputStream();
            for (int onThisConnection = 1; ; onThisConnection++) {
                String requestLine = HttpLines.readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (String line; !(line = HttpLines.readLine(in)).isEmpty(); ) {
                    int colon = line.indexOf(':');
                    headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new java.util.ArrayList<>()).add(line.substring(colon + 1).trim());
                }
                long body = readBody(in, headers);
                Request request = new Request(parts[0], parts[1], headers, body);
                requests.add(request);
                if (request.target().startsWith("/first-only") && onThisConnection > 1) {
                    // A keep-alive connection the origin gave up on: it reads the next request and closes.
                    return;
                }
                if (!answer(request, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The peer went away; the test asserts what it needs.
        } finally {
            open.remove(socket);
        }
    }

    private boolean answer(Request request, OutputStream out) throws IOException, InterruptedException {
        String target = request.target();
        boolean head = request.method().equals("HEAD");
        if (target.startsWith("/echo")) {
            StringBuilder text = new StringBuilder(request.method()).append(' ').append(target).append('\n');
            request.headers().forEach((k, v) -> text.append(k).append(": ").append(String.join(", ", v)).append('\n'));
            text.append("body-bytes: ").append(request.bodyBytes()).append('\n');
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: keep-alive, X-Origin-Hop\r\nX-Origin-Hop: secret\r\nKeep-Alive: timeout=5\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                out.write(bytes);
            }
        } else if (target.startsWith("/bytes/")) {
            long n = Long.parseLong(target.substring(7));
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                writeChunked(out, n);
            }
        } else if (target.startsWith("/length/")) {
            long n = Long.parseLong(target.substring(8));
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + n + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                writeFixed(out, n);
            }
        } else if (target.startsWith("/upload")) {
            byte[] bytes = Long.toString(request.bodyBytes()).getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
        } else if (target.startsWith("/hold")) {
            holding.countDown();
            held.await(30, TimeUnit.SECONDS);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nheld".getBytes(StandardCharsets.ISO_8859_1));
        } else if (target.startsWith("/cacheable/") || target.startsWith("/held/")) {
            if (target.startsWith("/held/")) {
                holding.countDown();
                held.await(30, TimeUnit.SECONDS);
            }
            String etag = "\"" + target.substring(target.lastIndexOf('/') + 1) + "\"";
            if (failStatus != 0) {
                out.write(("HTTP/1.1 " + failStatus + " Failed\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else if (etag.equals(request.header("if-none-match"))) {
                out.write(("HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                byte[] bytes = ("body of " + target).getBytes(StandardCharsets.UTF_8);
                // One write for head and body: written apart, a loaded machine can deliver the head alone, and a
                // head that arrives without its body cannot claim "stored" yet.
                out.write((("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nETag: " + etag + "\r\nCache-Control: "
                        + cacheControl + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        + (head ? "" : "body of " + target)).getBytes(StandardCharsets.UTF_8));
            }
        } else if (target.startsWith("/validated/")) {
            long n = Long.parseLong(target.substring(11));
            String etag = "\"v" + n + "\"";
            if (etag.equals(request.header("if-none-match"))) {
                out.write(("HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\nCache-Control: " + cacheControl
                        + "\r\nX-Refreshed: yes\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nETag: " + etag
                        + "\r\nCache-Control: " + cacheControl + "\r\nContent-Length: " + n + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                if (!head) {
                    writeFixed(out, n);
                }
            }
        } else if (target.startsWith("/vary/")) {
            byte[] bytes = (target + " in " + request.header("accept-encoding")).getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nVary: Accept-Encoding\r\nCache-Control: "
                    + cacheControl + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!head) {
                out.write(bytes);
            }
        } else if (target.startsWith("/first-only")) {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".getBytes(StandardCharsets.ISO_8859_1));
        } else if (target.startsWith("/kept-raw")) {
            // The raw bytes, and the connection stays open for the next request.
            out.write(raw);
        } else if (target.startsWith("/raw")) {
            out.write(raw);
            out.flush();
            return false;
        } else {
            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
        return true;
    }

    private void writeChunked(OutputStream out, long n) throws IOException {
        byte[] block = pattern(65536);
        while (n > 0) {
            int size = (int) Math.min(block.length, n);
            out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(block, 0, size);
            bodyBytesWritten.addAndGet(size);
            out.write('\r');
            out.write('\n');
            n -= size;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private void writeFixed(OutputStream out, long n) throws IOException {
        byte[] block = pattern(65536);
        while (n > 0) {
            int size = (int) Math.min(block.length, n);
            out.write(block, 0, size);
            bodyBytesWritten.addAndGet(size);
            n -= size;
        }
    }

    static byte[] pattern(int size) {
        byte[] block = new byte[size];
        for (int i = 0; i < size; i++) {
            block[i] = (byte) ('a' + i % 26);
        }
        return block;
    }

    private static long readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> te = headers.get("transfer-encoding");
        if (te != null && String.join(",", te).toLowerCase(Locale.ROOT).contains("chunked")) {
            long total = 0;
            while (true) {
                String sizeLine = HttpLines.readLine(in);
                if (sizeLine == null) {
                    throw new IOException("body cut short");
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!HttpLines.readLine(in).isEmpty()) {
                        // trailers are read and dropped
                    }
                    return total;
                }
                skip(in, size);
                HttpLines.readLine(in);
                total += size;
            }
        }
        List<String> length = headers.get("content-length");
        long n = length == null ? 0 : Long.parseLong(length.get(0));
        skip(in, n);
        return n;
    }

    private static void skip(InputStream in, long n) throws IOException {
        byte[] buffer = new byte[65536];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw new IOException("body cut short");
            }
            n -= read;
        }
    }

}
