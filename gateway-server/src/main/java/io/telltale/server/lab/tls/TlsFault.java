package io.telltale.server.lab.tls;

/** The one way a {@link TlsOrigin} is broken (or {@link #NONE}). */
public enum TlsFault {
    /** A valid chain for the names, leaf then intermediate. */
    NONE,
    /** The leaf expired a day ago. */
    EXPIRED,
    /** The leaf becomes valid in two days. */
    NOT_YET_VALID,
    /** The leaf covers {@code not-<first name>} instead of the names. */
    WRONG_HOST,
    /** A lone self-signed certificate. */
    SELF_SIGNED,
    /** A chain up to a root nobody trusts, root included. */
    UNTRUSTED_ROOT,
    /** The leaf alone: the intermediate is not sent. */
    INCOMPLETE_CHAIN,
    /** Leaf, root, intermediate: valid only after reordering. */
    OUT_OF_ORDER,
    /** A valid leaf sent with its issuing intermediate, which expired three days ago. */
    EXPIRED_INTERMEDIATE,
    /** A leaf whose extended key usage is TLS client authentication only. */
    CLIENT_AUTH_ONLY,
    /** A leaf with a 1024-bit RSA key. */
    WEAK_KEY,
    /** A leaf signed with SHA-1 (SHA1withECDSA). */
    SHA1_SIGNATURE,
    /** Answers a ClientHello without SNI with alert unrecognized_name, as a server with only name-based sites does. */
    SNI_REQUIRED,
    /** A leaf naming the lab intermediate as its issuer but signed by another key (a forged or corrupted chain). */
    BAD_SIGNATURE,
    /** TLS 1.2 only (refuses a client that requires TLS 1.3 with alert protocol_version). */
    TLS12_ONLY,
    /** TLS 1.2 with only TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA (no match for an AEAD-only client). */
    NO_SHARED_CIPHER,
    /** TLS 1.2 requiring a client certificate (alert bad_certificate during the handshake). */
    CLIENT_CERT_TLS12,
    /** TLS 1.3 requiring a client certificate (the alert arrives after the client's handshake completes). */
    CLIENT_CERT_TLS13,
    /** Plain HTTP on the TLS port: answers the ClientHello with {@code HTTP/1.1 400}. */
    PLAIN_HTTP,
    /** Accepts and never answers (handshake timeout). */
    SILENT,
    /** Closes every connection as soon as it is accepted. */
    CLOSE_ON_ACCEPT,
    /** TLS 1.3 only (refuses a client offering at most TLS 1.2, as CloudFront does toward origins). */
    TLS13_ONLY,
    /** A valid chain whose leaf expires in three days. */
    EXPIRES_SOON
}
