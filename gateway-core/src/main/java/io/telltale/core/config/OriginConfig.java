package io.telltale.core.config;

import io.telltale.core.profile.CdnProfile;
import java.time.Duration;
import java.util.List;

/**
 * One origin server of a site.
 *
 * @param host the origin's DNS name or IP literal
 * @param httpPort the port for plain HTTP (80, 443 or 1024-65535)
 * @param httpsPort the port for HTTPS (80, 443 or 1024-65535)
 * @param protocol which protocol to speak to it: HTTP/1.1 (http-only, https-only, match-viewer) or HTTP/2 (h2 over
 *     TLS by ALPN on the HTTPS port, h2c with prior knowledge on the HTTP port)
 * @param sni which name is sent as SNI and Host and verified in its certificate
 * @param connectTimeout the time a TCP connect may take (OriginConnectTimeout beyond), across all of the name's
 *     addresses
 * @param connectionAttemptDelay how long a connect to one address runs before the next address is tried too
 *     (Happy Eyeballs, RFC 8305: 10ms to 2s)
 * @param tlsHandshakeTimeout the time a TLS handshake may take
 * @param responseTimeout the time from the request's last byte to the response's first byte, and between
 *     reads of the response (OriginResponseTimeout beyond)
 * @param idleTimeout how long an idle pooled connection is kept
 * @param maxConnections the most open connections to this origin (OriginConnectionLimit beyond)
 * @param caBundle a PEM file of extra trusted roots, or null for the system store only
 * @param minTlsVersion the lowest TLS version offered ({@code TLSv1.2} or {@code TLSv1.3})
 * @param ciphers the cipher suites offered, empty for the JDK's modern defaults
 * @param chainOrder whether an out-of-order certificate chain is accepted
 * @param weight the origin's share of requests in a balancing origin group (1-1000)
 * @param profile the CDN whose treatment of an origin this one gets (its site's when not set): its values fill
 *     every setting above that the origin does not set, and its rules are checked at load
 * @param maxTlsVersion the highest TLS version offered ({@code TLSv1.2} or {@code TLSv1.3})
 * @param certificateCheck whether the origin's certificate is verified
 * @param connectAttempts how many times connecting to the origin is tried before the request fails (1-3)
 * @param tier whether the origin is another Telltale tier (an origin shield) whose errors are relayed
 */
public record OriginConfig(
        String host,
        @Default("80") int httpPort,
        @Default("443") int httpsPort,
        @Default("http-only") OriginProtocol protocol,
        @Default("origin-host") SniMode sni,
        @Default("10s") Duration connectTimeout,
        @Default("250ms") Duration connectionAttemptDelay,
        @Default("10s") Duration tlsHandshakeTimeout,
        @Default("30s") Duration responseTimeout,
        @Default("60s") Duration idleTimeout,
        @Default("256") int maxConnections,
        @Optional String caBundle,
        @Default("TLSv1.2") String minTlsVersion,
        List<String> ciphers,
        @Default("strict") ChainOrderPolicy chainOrder,
        @Default("1") int weight,
        @Default("telltale") CdnProfile profile,
        @Default("TLSv1.3") String maxTlsVersion,
        @Default("verify") CertificateCheck certificateCheck,
        @Default("1") int connectAttempts,
        @Default("origin") OriginTier tier) {
}
