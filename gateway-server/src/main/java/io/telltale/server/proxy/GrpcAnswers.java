package io.telltale.server.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's failures in terms a gRPC client reads: a trailers-only response (HTTP 200, {@code application/grpc},
 * {@code grpc-status} and {@code grpc-message}) that keeps the gateway's own error headers.
 */
final class GrpcAnswers {
    /** The label gRPC exchanges get in metrics and the access log. */
    static final String PROTOCOL = "grpc";

    private static final String GRPC = "application/grpc";
    private static final int DEADLINE_EXCEEDED = 4;
    private static final int UNAVAILABLE = 14;
    private static final int INTERNAL = 13;
    private static final int UNAUTHENTICATED = 16;
    private static final int PERMISSION_DENIED = 7;
    private static final int UNIMPLEMENTED = 12;
    private static final int UNKNOWN = 2;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GrpcAnswers() {
    }

    /** Returns whether the request is a gRPC call: its content type is {@code application/grpc} or a subtype. */
    static boolean isGrpc(HttpRequest request) {
        String type = request == null ? null : request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, GRPC, 0, GRPC.length())
                && (type.length() == GRPC.length() || type.charAt(GRPC.length()) == '+'
                        || type.charAt(GRPC.length()) == ';');
    }

    /**
     * Returns the trailers-only form of a rendered error: its headers but the body, status 200 and the gRPC status
     * and message; the rendered response is released.
     */
    static FullHttpResponse trailersOnly(FullHttpResponse rendered, Failure failure) {
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        answer.headers().set(rendered.headers());
        rendered.release();
        answer.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        answer.headers().set(HttpHeaderNames.CONTENT_TYPE, GRPC);
        answer.headers().set("grpc-status", Integer.toString(status(failure.code())));
        String detail = failure.detail().isEmpty() ? failure.code().title() : failure.detail();
        answer.headers().set("grpc-message", percentEncode(failure.code().code() + ": " + detail));
        return answer;
    }

    /** Returns the gRPC status for a gateway failure: gRPC's HTTP-to-gRPC mapping, timeouts as deadlines. */
    static int status(FailureCode code) {
        if (code == FailureCode.ORIGIN_CONNECT_TIMEOUT || code == FailureCode.ORIGIN_RESPONSE_TIMEOUT
                || code == FailureCode.REQUEST_HEADER_TIMEOUT) {
            return DEADLINE_EXCEEDED;
        }
        int http = code.status();
        if (http >= 500 || http == 429) {
            return UNAVAILABLE;
        }
        return switch (http) {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            default -> UNKNOWN;
        };
    }

    /** Percent-encodes a grpc-message as the gRPC spec asks: every byte outside printable ASCII, and '%'. */
    static String percentEncode(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
