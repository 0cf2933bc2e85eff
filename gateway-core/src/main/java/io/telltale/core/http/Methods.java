package io.telltale.core.http;

import io.netty.handler.codec.http.HttpMethod;

/** The method properties of RFC 9110 §9.2 that decide caching, invalidation and retries. */
public final class Methods {
    private Methods() {
    }

    /** Returns whether the method is safe (RFC 9110 §9.2.1): GET, HEAD, OPTIONS or TRACE. */
    public static boolean isSafe(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method) || HttpMethod.TRACE.equals(method);
    }

    /** Returns whether the method is idempotent (RFC 9110 §9.2.2): a safe method, PUT or DELETE. */
    public static boolean isIdempotent(HttpMethod method) {
        return isSafe(method) || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method);
    }
}
