package io.telltale.core.tls;

/** When a TLS failure surfaced: during the handshake, or on the first read after it (TLS 1.3 client auth). */
public enum TlsStage {
    /** The handshake future failed. */
    HANDSHAKE("handshake"),
    /** The handshake completed but the first read from the origin failed. */
    FIRST_READ("first read after handshake");

    private final String label;

    TlsStage(String label) {
        this.label = label;
    }

    /** Returns the words shown in evidence. */
    public String label() {
        return label;
    }
}
