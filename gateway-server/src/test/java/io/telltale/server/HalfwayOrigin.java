package io.telltale.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An origin for large objects that sends the first half of a body, then holds the rest until {@link #release()}:
 * {@code /big/N} with Content-Length, {@code /chunked/N} chunked, {@code /cut/N} sends the first half and closes.
 * Bodies are {@link #body(int)}, cacheable for ten minutes, with a strong ETag; a {@code Range: bytes=N-} or {@code bytes=N-M}
 * request gets that range at once, as a 206.
 */
final class HalfwayOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch halfway = new CountDownLatch(1);

    HalfwayOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Returns the request lines received, with their Range field when they had one. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Waits until a first half has been sent. */
    boolean awaitHalfway() throws InterruptedException {
        return halfway.await(20, TimeUnit.SECONDS);
    }

    /** Lets every held response send its second half. */
    void release() {
        held.countDown();
    }

    /** Returns the body of an object of {@code length} bytes: every byte says where it is. */
    static byte[] body(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i ^ (i >>> 8) ^ (i >>> 16));
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        held.countDown();
        server.close();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
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
                String range = null;
                for (String line; !(line = HttpLines.readLine(in)).isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("range:")) {
                        range = line.substring(6).trim();
                    }
                }
                requests.add(range == null ? requestLine : requestLine + " " + range);
                if (range != null) {
                    rest(requestLine.split(" ")[1], range, out);
                } else if (!answer(requestLine.split(" ")[1], out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The gateway went away; the test asserts what it needs.
        }
    }

    private boolean answer(String target, OutputStream out) throws IOException, InterruptedException {
        String[] parts = target.split("/");
        byte[] body = body(Integer.parseInt(parts[2]));
        boolean chunked = parts[1].equals("chunked");
        String framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length;
        out.write(("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nETag: \"" + parts[2] + "\"\r\n" + framing
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int half = body.length / 2;
        write(out, body, 0, half, chunked);
        out.flush();
        halfway.countDown();
        if (parts[1].equals("cut")) {
            return false;
        }
        held.await();
        write(out, body, half, body.length - half, chunked);
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
        return true;
    }

    private static void rest(String target, String range, OutputStream out) throws IOException {
        byte[] body = body(Integer.parseInt(target.split("/")[2]));
        int dash = range.indexOf('-');
        int from = Integer.parseInt(range.substring("bytes=".length(), dash));
        int last = dash == range.length() - 1 ? body.length - 1 : Integer.parseInt(range.substring(dash + 1));
        out.write(("HTTP/1.1 206 Partial Content\r\nCache-Control: max-age=600\r\nETag: \"" + body.length
                + "\"\r\nContent-Range: bytes " + from + "-" + last + "/" + body.length
                + "\r\nContent-Length: " + (last - from + 1) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        write(out, body, from, last - from + 1, false);
        out.flush();
    }

    private static void write(OutputStream out, byte[] body, int from, int length, boolean chunked) throws IOException {
        for (int at = from; at < from + length; at += 16384) {
            int n = Math.min(16384, from + length - at);
            if (chunked) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(body, at, n);
            if (chunked) {
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }
}
