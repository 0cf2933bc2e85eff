package io.telltale.core.tls;

import io.telltale.core.config.ChainOrderPolicy;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** What is known about one origin connection's TLS engine: its target, what was offered, and the chain seen. */
final class HandshakeRecord {
    final String host;
    final int port;
    final String sniSent;
    final String expectedName;
    final ChainOrderPolicy chainOrder;
    final List<String> offeredProtocols;
    final List<String> offeredCiphers;
    final Duration handshakeTimeout;
    final String caBundle;
    private volatile List<X509Certificate> chain = List.of();

    HandshakeRecord(String host, int port, String sniSent, String expectedName, ChainOrderPolicy chainOrder,
                    List<String> offeredProtocols, List<String> offeredCiphers, Duration handshakeTimeout,
                    String caBundle) {
        this.host = host;
        this.port = port;
        this.sniSent = sniSent;
        this.expectedName = expectedName;
        this.chainOrder = chainOrder;
        this.offeredProtocols = offeredProtocols;
        this.offeredCiphers = offeredCiphers;
        this.handshakeTimeout = handshakeTimeout;
        this.caBundle = caBundle;
    }

    List<X509Certificate> chain() {
        return chain;
    }

    void chain(X509Certificate[] presented) {
        chain = List.of(presented);
    }
}
