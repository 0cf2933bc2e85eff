package io.telltale.server.lab.origin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A blocking client on a plain socket, for tests that look at the bytes an origin really sends. */
final class OriginClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    /** One response read with Content-Length framing. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    OriginClient(BrokenOrigin origin) throws IOException {
        socket = new Socket();
        socket.connect(origin.address(), 2000);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    OriginClient get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: lab.test\r\n\r\n");
    }

    OriginClient send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return this;
    }

    OriginClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    InputStream input() {
        return in;
    }

    /** Reads until the origin closes, as text. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = head || length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Response(Integer.parseInt(statusLine.substring(9, 12)), headers,
                new String(body, StandardCharsets.US_ASCII));
    }

    /** Reads one CRLF-terminated line, or null at the end of the stream. */
    String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
