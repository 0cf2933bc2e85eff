package io.telltale.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.failure.Failure;
import java.nio.charset.StandardCharsets;

/** Turns a classified failure into the gateway's own error response. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** Returns the full error response for a failure. */
    static FullHttpResponse render(Failure failure, String requestId, String nextHop, boolean trusted, String accept) {
        StringBuilder body = new StringBuilder(256)
                .append(failure.code().status()).append(' ').append(failure.code().code()).append('\n')
                .append(trusted ? failure.detail() : "").append('\n')
                .append("request id: ").append(requestId).append('\n');
        if (trusted) {
            failure.evidence().facts().forEach((k, v) -> body.append(k).append(": ").append(v).append('\n'));
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(failure.code().status()), Unpooled.wrappedBuffer(bytes));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Cache", "Error from gateway");
        h.set("X-Gateway-Error-Code", failure.code().code());
        h.set("Proxy-Status", "telltale; error=" + failure.proxyStatusError()
                + (nextHop != null ? "; next-hop=\"" + nextHop + "\"" : ""));
        h.set("Cache-Status", "telltale; fwd=miss; detail=" + failure.code().code());
        h.set("X-Request-Id", requestId);
        return response;
    }
}
