package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpMethod;

/** The method properties the request path decides by (RFC 9110 §9.2). */
public final class Methods {
    private Methods() {
    }

    /** Returns whether a method is safe: GET, HEAD, OPTIONS, TRACE (RFC 9110 §9.2.1). */
    public static boolean isSafe(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.TRACE.equals(method);
    }

    /** Returns whether a method is idempotent: the safe ones, PUT and DELETE (RFC 9110 §9.2.2). */
    public static boolean isIdempotent(HttpMethod method) {
        return isSafe(method) || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method);
    }
}
