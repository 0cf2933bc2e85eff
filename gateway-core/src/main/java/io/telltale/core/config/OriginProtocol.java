package io.telltale.core.config;

/** Which protocol the gateway speaks to an origin. */
public enum OriginProtocol {
    /** Always plain HTTP on the origin's HTTP port. */
    HTTP_ONLY,
    /** Always HTTPS on the origin's HTTPS port. */
    HTTPS_ONLY,
    /** The protocol the viewer used to reach the gateway. */
    MATCH_VIEWER,
    /** HTTP/2 over TLS on the origin's HTTPS port; ALPN must choose {@code h2}. */
    H2,
    /** Cleartext HTTP/2 with prior knowledge on the origin's HTTP port. */
    H2C
}
