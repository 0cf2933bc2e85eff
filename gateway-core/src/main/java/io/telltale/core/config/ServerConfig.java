package io.telltale.core.config;

import java.time.Duration;

/**
 * The edge listeners.
 *
 * @param bindAddress the IP literal the listeners bind to
 * @param httpPort the plain HTTP port (0 picks a free port)
 * @param httpsPort the HTTPS port, or null for no HTTPS listener
 * @param defaultCertificateSite the site whose certificate answers an unknown SNI name, or null to refuse
 *     the handshake with {@code unrecognized_name}
 * @param ioThreads event loop threads, 0 for one per core
 * @param via the pseudonym this gateway adds to {@code Via} and recognises to detect loops
 * @param drainTimeout how long in-flight requests may run after a stop is asked for
 * @param http2 HTTP/2 toward clients on each listener, and its limits
 */
public record ServerConfig(
        @Default("127.0.0.1") String bindAddress,
        @Default("8080") int httpPort,
        @Optional Integer httpsPort,
        @Optional String defaultCertificateSite,
        @Default("0") int ioThreads,
        @Default("telltale") String via,
        @Default("10s") Duration drainTimeout,
        Http2Config http2) {
}
