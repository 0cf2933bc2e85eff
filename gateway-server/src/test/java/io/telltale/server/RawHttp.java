package io.telltale.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A client on a raw socket, for tests that must control every byte on the wire. */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One parsed response. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(", ", values);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    RawHttp(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Speaks over a socket already connected (and, for TLS, already through its handshake). */
    RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    OutputStream output() {
        return out;
    }

    Response read() throws IOException {
        return read(false);
    }

    Response read(boolean head) throws IOException {
        String statusLine = HttpLines.readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line; !(line = HttpLines.readLine(in)).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return new Response(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> te = headers.get("transfer-encoding");
        List<String> length = headers.get("content-length");
        if (te != null && te.toString().contains("chunked")) {
            for (int size; (size = Integer.parseInt(HttpLines.readLine(in).split(";")[0].trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                HttpLines.readLine(in);
            }
            while (!HttpLines.readLine(in).isEmpty()) {
                // trailers
            }
        } else if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.get(0))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toByteArray());
    }

    /** Reads exactly {@code n} bytes of a body whose head {@code read(true)} took, or fewer if the peer closes. */
    byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Returns whether the server closed the connection (end of stream) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Returns what the server sends after the responses read so far. */
    InputStream input() {
        return in;
    }

    /** Sends a FIN: the client sends nothing more but still reads. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
