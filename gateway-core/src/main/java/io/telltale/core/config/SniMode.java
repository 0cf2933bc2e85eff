package io.telltale.core.config;

/** Which name the gateway sends as SNI, verifies the certificate against and sends as Host to an origin. */
public enum SniMode {
    /** The origin's configured host name. */
    ORIGIN_HOST,
    /** The Host the viewer asked for (CloudFront's forwarded Host). */
    VIEWER_HOST
}
