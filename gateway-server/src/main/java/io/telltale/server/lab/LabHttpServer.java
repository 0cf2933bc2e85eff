package io.telltale.server.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;

/** A small HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) for the lab's own origins, on the JDK's server. */
final class LabHttpServer implements AutoCloseable {
    private final HttpServer server;

    private LabHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Binds 127.0.0.1 on a free port and answers every path with the handler. */
    static LabHttpServer start(HttpHandler handler) throws IOException {
        return start(handler, 0);
    }

    /** Binds 127.0.0.1 on the given port (0 for a free one) and answers every path with the handler. */
    static LabHttpServer start(HttpHandler handler, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(NetUtil.LOCALHOST4, port), 16);
        server.createContext("/", handler);
        server.start();
        return new LabHttpServer(server);
    }

    /** Writes a whole answer and ends the exchange; HEAD gets the headers only. */
    static void answer(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** Returns the port it listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once: connects to its port are refused from then on. */
    @Override
    public void close() {
        server.stop(0);
    }
}
