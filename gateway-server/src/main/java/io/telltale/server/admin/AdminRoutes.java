package io.telltale.server.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

/** Maps an admin request's method and path to its answer. */
final class AdminRoutes {
    private final AdminView view;
    private final String token;

    AdminRoutes(AdminView view, String token) {
        this.view = view;
        this.token = token;
    }

    /** Returns the answer for a request. */
    AdminResponse route(HttpMethod method, String uri, String authorization) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        String path = query.path();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return AdminResponse.text(405, "method not allowed: " + method + "\n");
        }
        switch (path) {
            case "/healthz":
                return AdminResponse.text(200, "ok\n");
            case "/readyz":
                return view.ready() ? AdminResponse.text(200, "ready\n") : AdminResponse.text(503, "draining\n");
            case "/metrics":
                return new AdminResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                        view.metrics().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default:
                return AdminResponse.text(404, "not found: " + path + "\n");
        }
    }

    /** Returns whether the Authorization header carries the configured bearer token. */
    boolean authorized(String authorization) {
        return token != null && authorization != null && java.security.MessageDigest.isEqual(
                ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
