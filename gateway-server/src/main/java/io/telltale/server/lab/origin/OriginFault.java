package io.telltale.server.lab.origin;

import io.telltale.core.failure.FailureCode;

/** The one way a {@link BrokenOrigin} fails, with the catalogue code a gateway in front of it should report. */
public enum OriginFault {
    /** A correct HTTP/1.1 server: 200 with a small body and {@code Cache-Control: max-age=60}; {@code /status/NNN} answers NNN. */
    HEALTHY(null, "answers 200 with a small cacheable body; /status/NNN answers NNN"),
    /** A port that refuses every connection: bound by a socket that never listens. */
    REFUSED(FailureCode.ORIGIN_CONNECTION_REFUSED, "nothing listens on the port: the kernel answers SYN with RST"),
    /** A listener whose accept queue is full and which never accepts, so that further SYNs are dropped. */
    BLACKHOLE(FailureCode.ORIGIN_CONNECT_TIMEOUT, "the accept queue is full: SYNs are dropped and connects time out"),
    /** Accepts, reads the request and never answers. */
    SILENT(FailureCode.ORIGIN_RESPONSE_TIMEOUT, "reads the request and never answers"),
    /** Reads the request and closes without a byte. */
    CLOSE_BEFORE_RESPONSE(FailureCode.ORIGIN_CONNECTION_CLOSED, "reads the request and closes without answering"),
    /** Sends half a status line ({@code HTTP/1.1 200 O}) and closes. */
    CLOSE_MID_HEADERS(FailureCode.ORIGIN_CONNECTION_CLOSED, "sends half a status line and closes"),
    /** Answers {@code HTTP/1.1 abc}: a status line without a status code. */
    GARBAGE_STATUS(FailureCode.ORIGIN_INVALID_RESPONSE, "answers a status line whose code is not a number"),
    /** Answers a chunked 200 whose first chunk size is not hexadecimal. */
    BROKEN_CHUNKING(FailureCode.ORIGIN_INVALID_RESPONSE, "answers chunked with a chunk size that is not hexadecimal"),
    /** Answers a 200 with a 128 KiB header section (128 fields of 1 KiB each). */
    HUGE_HEADERS(FailureCode.ORIGIN_HEADER_TOO_BIG, "answers with a 128 KiB header section"),
    /** Announces 1 MiB with Content-Length, sends 32 KiB of it and resets the connection (SO_LINGER 0). */
    RESET_MID_BODY(FailureCode.ORIGIN_CONNECTION_CLOSED, "sends the status line and part of the body, then a TCP reset"),
    /** Answers 500 with a body ({@code /status/NNN} answers NNN, e.g. 503). */
    ORIGIN_500(null, "answers 500 with a body; /status/503 answers 503"),
    /** A WebSocket server: {@code /} is a page that opens {@code /ws}, which echoes every message. */
    WEBSOCKET_ECHO(null, "a WebSocket echo server on /ws, with a page on / that talks to it"),
    /** Serves the same page, but answers every upgrade with 403 ({@code /status/NNN} with NNN, e.g. 200). */
    WEBSOCKET_REFUSED(FailureCode.ORIGIN_UPGRADE_REFUSED, "answers the WebSocket upgrade with 403 instead of 101");

    private final FailureCode expected;
    private final String description;

    OriginFault(FailureCode expected, String description) {
        this.expected = expected;
        this.description = description;
    }

    /**
     * Returns the code a gateway reports for a request to this origin, or null when the origin's answer is
     * passed through; for {@link #RESET_MID_BODY} the status line was already sent, so the code is journaled
     * while the client connection is aborted.
     */
    public FailureCode expected() {
        return expected;
    }

    /** Returns what the origin does, in one lower-case line for the lab's scenario list. */
    public String description() {
        return description;
    }
}
