package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps out of an origin's trailer section the fields that may only stand in a header section: those that frame,
 * route, authenticate, control the response or say how to read its content (RFC 9110 section 6.5.1). A client
 * that merged them would act on what no header said.
 */
final class ResponseTrailers {
    private static final Set<String> HEADER_ONLY = Set.of("age", "authorization", "cache-control", "connection",
            "content-encoding", "content-length", "content-range", "content-type", "cookie", "date", "expect",
            "expires", "host", "keep-alive", "location", "max-forwards", "pragma", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "range", "retry-after", "set-cookie", "te", "trailer",
            "transfer-encoding", "upgrade", "vary", "www-authenticate");

    private ResponseTrailers() {
    }

    /** Returns the piece with its trailer section, if it ends the body, stripped of header-only fields. */
    static HttpContent withoutHeaderOnly(HttpContent content) {
        if (content instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
            HttpHeaders trailers = last.trailingHeaders();
            trailers.names().stream().filter(name -> HEADER_ONLY.contains(name.toLowerCase(Locale.ROOT)))
                    .toList().forEach(trailers::remove);
        }
        return content;
    }
}
