package io.telltale.server.edge;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * WebSocket by extended CONNECT (RFC 8441) from an HTTP/2 client to an HTTP/1.1 origin: the stream's request, as
 * Netty's conversion hands it over, becomes the HTTP/1.1 upgrade request an origin expects, and the origin's
 * {@code 101} the {@code 200} the stream expects.
 */
final class ExtendedConnect {
    /** The one {@code :protocol} served: WebSocket, the only one RFC 8441 maps onto an HTTP/1.1 upgrade. */
    static final String WEBSOCKET = "websocket";
    private static final int KEY_BYTES = 16;

    private ExtendedConnect() {
    }

    /** Returns the {@code :protocol} of an extended CONNECT, or null for any other request (a classic CONNECT too). */
    static String protocol(HttpRequest request) {
        if (!HttpMethod.CONNECT.equals(request.method())) {
            return null;
        }
        return request.headers().get(ExtensionHeaderNames.PROTOCOL.text());
    }

    /**
     * Returns the HTTP/1.1 WebSocket upgrade an extended CONNECT stands for: a bodiless GET of its {@code :path}
     * asking to upgrade, with a fresh {@code Sec-WebSocket-Key} (the HTTP/2 side has none, RFC 8441 §5) and the
     * client's own fields ({@code sec-websocket-protocol}, {@code -extensions}, {@code origin}, ...) kept.
     */
    static FullHttpRequest asUpgrade(HttpRequest connect) {
        HttpHeaders h = connect.headers();
        String path = h.get(ExtensionHeaderNames.PATH.text());
        h.remove(ExtensionHeaderNames.PATH.text());
        h.remove(ExtensionHeaderNames.PROTOCOL.text());
        // Netty's conversion marks a request whose stream stays open as chunked: this one has no body but a tunnel.
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        h.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, newKey());
        h.set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path == null ? "/" : path,
                Unpooled.EMPTY_BUFFER, h, new DefaultHttpHeaders());
    }

    /** Returns why an extended CONNECT for this protocol is refused, or null for WebSocket. */
    static Failure refusal(String protocol) {
        if (WEBSOCKET.equalsIgnoreCase(protocol)) {
            return null;
        }
        return Failure.of(FailureCode.MALFORMED_REQUEST, "Extended CONNECT (RFC 8441) is served for the websocket"
                        + " protocol only, not for \"" + protocol + "\".",
                Evidence.builder().put("method", "CONNECT").put("protocol", protocol).build());
    }

    /**
     * Returns the head that tells the HTTP/2 client its tunnel is open: {@code 200} with the origin's 101's fields,
     * less those of an HTTP/1.1 handshake ({@code Sec-WebSocket-Accept}, RFC 8441 §5) and of a connection.
     */
    static HttpResponse established(HttpResponse switching) {
        HttpHeaders h = switching.headers();
        h.remove(HttpHeaderNames.UPGRADE);
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, h);
    }

    private static String newKey() {
        byte[] key = new byte[KEY_BYTES];
        ThreadLocalRandom.current().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
