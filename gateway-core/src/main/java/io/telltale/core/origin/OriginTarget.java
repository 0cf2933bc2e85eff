package io.telltale.core.origin;

import io.telltale.core.config.OriginConfig;

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
    /** Returns {@code host:port} as named in Proxy-Status {@code next-hop}. */
    public String nextHop() {
        String host = origin.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
