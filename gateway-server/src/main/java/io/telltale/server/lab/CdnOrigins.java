package io.telltale.server.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** Starts the origins of the lab's CDN matrix that the scenarios do not already run, and names every row. */
final class CdnOrigins {
    /** The port Cloudflare does not proxy that the port row's origin listens on when it is free. */
    static final int UNPROXIED_PORT = 8081;
    /** The slow origin's first byte: 22 s at the vendors' own timeouts, past Fastly's 15 s and Akamai's 20 s. */
    static final long SLOW_FIRST_BYTE_MILLIS = (long) (22_000 * CdnMatrix.TIME_SCALE);

    private CdnOrigins() {
    }

    /**
     * Starts the TLS-1.3-only, slow and port-8081 origins and returns every row of the matrix.
     *
     * @param tlsPorts the scenarios' TLS origin ports by scenario name
     * @param started where each started origin is pushed, to be closed with the lab
     */
    static List<CdnCase> start(LabPki pki, Map<String, Integer> tlsPorts, Deque<AutoCloseable> started)
            throws IOException, InterruptedException {
        TlsOrigin tls13 = new TlsOrigin(pki, TlsFault.TLS13_ONLY, "tls13-only.tls.lab.test").start();
        started.push(tls13);
        LabHttpServer slow = LabHttpServer.start(exchange -> {
            try {
                Thread.sleep(SLOW_FIRST_BYTE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, "slow, but here\n");
        });
        started.push(slow);
        LabHttpServer unproxied = unproxiedPort();
        started.push(unproxied);
        return List.of(
                new CdnCase("chain-out-of-order", "the certificate chain is sent out of order",
                        "https://out-of-order.tls.lab.test:" + tlsPorts.get("tls-chain-out-of-order") + "/", true),
                new CdnCase("tls13-only", "the origin speaks TLS 1.3 only",
                        "https://tls13-only.tls.lab.test:" + tls13.port() + "/", true),
                new CdnCase("port-" + unproxied.port(), "the origin listens on port " + unproxied.port(),
                        "http://www.lab.test:" + unproxied.port() + "/", false),
                new CdnCase("slow-first-byte", "the first byte comes after 22 s (the lab runs at a tenth of every "
                        + "timeout: " + SLOW_FIRST_BYTE_MILLIS + " ms)", "http://www.lab.test:" + slow.port() + "/", true),
                new CdnCase("self-signed", "the certificate signed itself",
                        "https://self-signed.tls.lab.test:" + tlsPorts.get("tls-self-signed") + "/", true));
    }

    /** Binds port 8081 when it is free; another free port otherwise, which Cloudflare does not proxy either. */
    private static LabHttpServer unproxiedPort() throws IOException {
        HttpHandler healthy = exchange -> answer(exchange, "served on a port Cloudflare skips\n");
        try {
            return LabHttpServer.start(healthy, UNPROXIED_PORT);
        } catch (BindException e) {
            return LabHttpServer.start(healthy);
        }
    }

    private static void answer(HttpExchange exchange, String text) throws IOException {
        LabHttpServer.answer(exchange, 200, Map.of(HttpHeaderNames.CONTENT_TYPE.toString(), "text/plain"),
                text.getBytes(StandardCharsets.UTF_8));
    }
}
