package io.telltale.core.origin;

import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.SniMode;

/**
 * One origin as a request will reach it: which configured origin, by which protocol and port, and with
 * which name for SNI, certificate verification and Host.
 *
 * @param origin the configured origin
 * @param tls whether HTTPS is used
 * @param port the port connected to
 * @param serverName the name sent as SNI and verified in the certificate (also the forwarded Host)
 */
public record OriginTarget(OriginConfig origin, boolean tls, int port, String serverName) {
    /**
     * Returns the Host header sent to the origin: the viewer's own Host when SNI follows the viewer, otherwise
     * the origin's name with its port unless that is the scheme's default.
     */
    public String hostHeader(String viewerHost) {
        if (origin.sni() == SniMode.VIEWER_HOST) {
            return viewerHost;
        }
        String host = origin.host();
        String literal = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? literal : literal + ":" + port;
    }

    /** Returns whether the origin is spoken to in HTTP/2: {@code h2} by ALPN over TLS, or {@code h2c}. */
    public boolean http2() {
        return origin.protocol() == OriginProtocol.H2 || origin.protocol() == OriginProtocol.H2C;
    }

    /** Returns {@code host:port} as named in Proxy-Status {@code next-hop}. */
    public String nextHop() {
        String host = origin.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
