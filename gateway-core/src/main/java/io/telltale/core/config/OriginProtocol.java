package io.telltale.core.config;

/** Which protocol the gateway speaks to an origin. */
public enum OriginProtocol {
    /** Always plain HTTP on the origin's HTTP port. */
    HTTP_ONLY,
    /** Always HTTPS on the origin's HTTPS port. */
    HTTPS_ONLY,
    /** The protocol the viewer used to reach the gateway. */
    MATCH_VIEWER
}
