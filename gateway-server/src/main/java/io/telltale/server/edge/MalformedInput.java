package io.telltale.server.edge;

/**
 * The stackless mark the edge decoder sets as the decoder result of a request, or of a piece of its body, that
 * Netty's decoder accepted but that HTTP/1.1 does not allow; {@link DecoderFailures} names each kind.
 *
 * <p>One shared instance per kind: client input must never cost a stack walk, nor print one.
 */
final class MalformedInput extends IllegalArgumentException {
    /** What was wrong. */
    enum Kind {
        /** A header field continued on a line that begins with whitespace (RFC 9112 §5.2). */
        OBS_FOLD,
        /** A control character in the request target. */
        CONTROL_IN_TARGET,
        /** A request line that is not method SP target SP HTTP-version (RFC 9112 §3). */
        REQUEST_LINE,
        /** A well-formed request line naming an HTTP major version other than 1. */
        UNSUPPORTED_VERSION,
        /** A Content-Length that is not exactly one decimal number (RFC 9112 §6.3). */
        CONTENT_LENGTH,
        /** A Transfer-Encoding other than {@code chunked} alone, which could not be forwarded as it was meant. */
        TRANSFER_CODING,
        /** More header fields than the configured limit. */
        TOO_MANY_FIELDS,
        /** A chunk extension outside the grammar of RFC 9112 §7.1.1. */
        CHUNK_EXTENSION
    }

    private static final MalformedInput[] BY_KIND = new MalformedInput[Kind.values().length];

    static {
        for (Kind kind : Kind.values()) {
            BY_KIND[kind.ordinal()] = new MalformedInput(kind);
        }
    }

    private final transient Kind kind;

    private MalformedInput(Kind kind) {
        super(kind.name(), null);
        this.kind = kind;
    }

    /** Returns the shared mark of this kind. */
    static MalformedInput of(Kind kind) {
        return BY_KIND[kind.ordinal()];
    }

    Kind kind() {
        return kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
