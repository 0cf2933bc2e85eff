package io.telltale.core.failure;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Words the failures of an origin response's framing by what was on the wire rather than by the codec's
 * exception: conflicting {@code Content-Length} values, and an exchange where only an interim response
 * (such as {@code 100 Continue}) arrived before the origin went silent or closed.
 */
public final class ResponseFraming {
    private ResponseFraming() {
    }

    /**
     * Returns the failure for a response head the codec rejected: conflicting lengths when the head carries
     * several different {@code Content-Length} values, a line without a colon when one was found, else what
     * {@link FailureClassifier} makes of the cause.
     */
    public static Failure rejectedHead(HttpHeaders headers, Throwable decoderCause, OriginHop origin) {
        if (decoderCause instanceof MalformedHeaderLine malformed) {
            return ResponseWords.headerLineWithoutColon(malformed.line(), origin);
        }
        List<String> lengths = distinctLengths(headers);
        if (lengths.size() < 2) {
            return FailureClassifier.classifyDecoderFailure(decoderCause, false, origin);
        }
        String values = String.join(", ", lengths);
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("contentLengths", lengths)
                .put("responseStarted", false)
                .build();
        List<String> remediation = new ArrayList<>();
        remediation.add("See both fields: `curl -s -o /dev/null -D - --resolve " + origin.host() + ":" + origin.port() + ":"
                + origin.addressText() + " http://" + origin.host() + ":" + origin.port() + "/ | grep -i content-length`.");
        remediation.add("Send one Content-Length (" + values + " cannot all be right): usually a framework and a proxy or "
                + "middleware in front of it each add one; remove the one that does not count the final body.");
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin sent conflicting Content-Length values (" + values + "), so nobody can tell where its "
                        + "response ends; the gateway refused it rather than guess (RFC 9112 section 6.3).",
                evidence, remediation);
    }

    /**
     * Returns the failure for a status code outside 100–599, which RFC 9110 section 15 does not define: neither an
     * interim nor a final response, so it is not passed on.
     */
    public static Failure undefinedStatus(int status, OriginHop origin) {
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("status", status)
                .put("responseStarted", false)
                .build();
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin answered with status " + status + ", outside the 100-599 that HTTP defines (RFC 9110 "
                        + "section 15), so it is neither an interim nor a final response.",
                evidence, List.of("Have the application answer with a status between 100 and 599; for a failure of its "
                        + "own, 500 or 503 says so to every client and cache."));
    }

    /**
     * Returns the failure for a {@code 101 Switching Protocols} answering a request that asked for no upgrade: the
     * origin switched its connection to another protocol (RFC 9110 section 15.2.2 forbids it), so nothing after it
     * can be read as HTTP.
     */
    public static Failure unsolicitedSwitch(HttpHeaders headers, OriginHop origin) {
        String upgrade = headers.get(HttpHeaderNames.UPGRADE, "");
        Evidence evidence = Evidence.builder()
                .put("origin.host", origin.host())
                .put("origin.port", origin.port())
                .put("origin.address", origin.addressText())
                .put("status", 101)
                .put("upgrade", upgrade)
                .put("responseStarted", false)
                .build();
        List<String> remediation = List.of("The request asked for no upgrade, yet the origin answered 101"
                + (upgrade.isEmpty() ? "" : " to " + upgrade) + ": look for a server or proxy in front of the "
                + "application that switches protocols on its own, and have it answer the request instead.");
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null,
                "The origin answered 101 Switching Protocols to a request that asked for no upgrade, so the rest of "
                        + "its connection is not HTTP and no response can be read from it (RFC 9110 section 15.2.2).",
                evidence, remediation);
    }

    /**
     * Returns the failure re-worded for an exchange in which only an interim response arrived before it failed,
     * or the failure unchanged when it is not a timeout or a close.
     *
     * @param interim the status line of the last interim response, e.g. {@code 100 Continue}
     */
    public static Failure onlyInterim(Failure failure, String interim) {
        FailureCode code = failure.code();
        if (code != FailureCode.ORIGIN_RESPONSE_TIMEOUT && code != FailureCode.ORIGIN_CONNECTION_CLOSED) {
            return failure;
        }
        String then = code == FailureCode.ORIGIN_RESPONSE_TIMEOUT
                ? "then sent nothing more within the response timeout"
                : "then closed the connection";
        String detail = "Only an interim " + interim + " arrived from the origin, which " + then
                + ": the final response never came.";
        List<String> remediation = new ArrayList<>();
        remediation.add("The origin (or a proxy in front of it) answered with " + interim + " but never produced the "
                + "final response: check that the application reads the request body and answers, and that a proxy in "
                + "front of it does not send " + interim + " on its own.");
        remediation.addAll(failure.remediation().stream()
                .filter(r -> !r.contains("crash") && !r.contains("keep-alive")).toList());
        return new Failure(code, failure.proxyStatusError(), failure.proxyStatusParams(), detail,
                failure.evidence().with(Evidence.builder().put("interimOnly", interim).build()), remediation);
    }

    private static List<String> distinctLengths(HttpHeaders headers) {
        Set<String> values = new LinkedHashSet<>();
        for (String field : headers.getAll(HttpHeaderNames.CONTENT_LENGTH)) {
            for (String v : field.split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
        }
        return List.copyOf(values);
    }
}
