package io.telltale.core.failure;

/** The step of a request's way through the gateway at which a failure happened. */
public enum Phase {
    /** Reading and checking what the client sent. */
    CLIENT("client"),
    /** Choosing the site by the Host header. */
    ROUTE("route"),
    /** Applying a site's edge rules to headers. */
    EDGE_RULE("edge rule"),
    /** Resolving the origin's name. */
    DNS("dns"),
    /** Opening the TCP connection to the origin. */
    CONNECT("connect"),
    /** The TLS handshake with the origin. */
    TLS("tls"),
    /** Waiting for and reading the origin's response. */
    RESPONSE("response"),
    /** The gateway's own processing, outside any one step. */
    GATEWAY("gateway");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** Returns the lower-case name shown in responses and docs. */
    public String label() {
        return label;
    }
}
