package io.telltale.core.tls;

import io.telltale.core.config.ChainOrderPolicy;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * What the gateway knows about one TLS connection attempt to an origin, the input of classification.
 *
 * @param host the origin host connected to
 * @param port the TLS port
 * @param sniSent the SNI name sent, or null when none was (IP literal)
 * @param expectedName the name the certificate is verified against
 * @param stage when the failure surfaced
 * @param presentedChain the certificates the origin sent, empty when none arrived
 * @param protocol the negotiated protocol, or null when the handshake did not get that far
 * @param cipher the negotiated cipher suite, or null
 * @param offeredProtocols the protocols the gateway offered
 * @param offeredCiphers the cipher suites the gateway offered
 * @param chainOrder the origin's chain order policy
 * @param handshakeTimeout the configured handshake timeout
 * @param caBundle the origin's extra CA bundle file, or null
 */
public record TlsAttempt(
        String host,
        int port,
        String sniSent,
        String expectedName,
        TlsStage stage,
        List<X509Certificate> presentedChain,
        String protocol,
        String cipher,
        List<String> offeredProtocols,
        List<String> offeredCiphers,
        ChainOrderPolicy chainOrder,
        Duration handshakeTimeout,
        String caBundle) {

    public TlsAttempt {
        presentedChain = List.copyOf(presentedChain);
        offeredProtocols = List.copyOf(offeredProtocols);
        offeredCiphers = List.copyOf(offeredCiphers);
    }
}
