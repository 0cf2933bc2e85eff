package io.telltale.core.failure;

import java.util.List;

/**
 * Words the refusals of an origin response head that parsed but cannot be passed on: a status line of another HTTP
 * version than the connection speaks, and transfer codings the gateway would strip without undoing.
 */
public final class ResponseWords {
    private ResponseWords() {
    }

    /**
     * Returns the failure for a status line whose HTTP version is not 1.x on an HTTP/1.1 connection (such as
     * {@code HTTP/2.0} or {@code HTTP/0.9}): no such response exists on this connection, so what it says cannot be
     * trusted (RFC 9112 section 2.3).
     */
    public static Failure foreignVersion(String version, OriginHop origin) {
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("version", version)
                .put("responseStarted", false)
                .build();
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin's status line says " + version + " on an HTTP/1.1 connection, where only an HTTP/1.x "
                        + "response can come (RFC 9112 section 2.3), so the gateway refused it rather than guess.",
                evidence, List.of("Have the server on this port answer HTTP/1.1 requests with an HTTP/1.1 status "
                        + "line; HTTP/2 is spoken in binary frames, never as an \"HTTP/2.0\" status line."));
    }

    /**
     * Returns the failure for a response whose {@code Transfer-Encoding} lists codings before {@code chunked}: the
     * gateway removes the chunked framing but cannot undo the others, and would pass the body on still coded while
     * saying it is not (RFC 9112 section 6.1).
     */
    public static Failure undecodedCodings(String transferEncoding, OriginHop origin) {
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("transferEncoding", transferEncoding)
                .put("responseStarted", false)
                .build();
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin sent Transfer-Encoding: " + transferEncoding + "; the gateway undoes only chunked, so it "
                        + "refused the response rather than pass its body on still coded (RFC 9112 section 6.1).",
                evidence, List.of("Send the body compressed with Content-Encoding (which passes through unchanged) "
                        + "and framed with only Transfer-Encoding: chunked or a Content-Length."));
    }

    /**
     * Returns the failure for a header line without a colon: it is not a field (RFC 9112 section 5), and passing it
     * on would turn it into a field the origin never sent, so the response is refused as nginx and HAProxy do.
     *
     * @param line the line, already escaped and cut by {@link MalformedHeaderLine#printable}
     */
    public static Failure headerLineWithoutColon(String line, OriginHop origin) {
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("headerLine", line)
                .put("responseStarted", false)
                .build();
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin's response head has a line without a colon (\"" + line + "\"), which is not a header "
                        + "field (RFC 9112 section 5), so the gateway refused the response rather than guess.",
                evidence, List.of("Find what writes that line into the response head (often a debug print or a "
                        + "header value with a line break in it) and make every header line name: value."));
    }
}
