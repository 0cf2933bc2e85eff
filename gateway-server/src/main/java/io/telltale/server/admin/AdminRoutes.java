package io.telltale.server.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Maps an admin request's method and path to its answer. */
final class AdminRoutes {
    private static final String FAILURE_PREFIX = "/failures/";
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;

    private final AdminView view;
    private final String token;
    private final Map<String, Supplier<AdminResponse>> extra;

    AdminRoutes(AdminView view, String token, Map<String, Supplier<AdminResponse>> extra) {
        this.view = view;
        this.token = token;
        this.extra = Map.copyOf(extra);
    }

    /** Returns the answer for a request; most are ready at once, a diagnosis or a config reload completes later. */
    CompletableFuture<AdminResponse> route(HttpMethod method, String uri, String authorization, String accept) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        if ("/diagnose".equals(query.path()) && HttpMethod.GET.equals(method)) {
            String url = first(query, "url");
            if (url == null) {
                return CompletableFuture.completedFuture(AdminResponse.text(400,
                        "url: none (expected: /diagnose?url=https://origin.example/path[&sni=NAME])\n"));
            }
            try {
                return view.diagnose(url, first(query, "sni"), accept == null || !accept.contains("text/plain"));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(AdminResponse.text(400, e.getMessage() + "\n"));
            }
        }
        if ("/preflight".equals(query.path()) && HttpMethod.GET.equals(method)) {
            return preflight(query);
        }
        if ("/config/reload".equals(query.path())) {
            return reloadConfig(method, authorization);
        }
        if ("/purge".equals(query.path())) {
            return purge(method, query, authorization);
        }
        return CompletableFuture.completedFuture(answer(method, query, authorization));
    }

    private AdminResponse answer(HttpMethod method, QueryStringDecoder query, String authorization) {
        String path = query.path();
        if ("/tls/reload".equals(path)) {
            AdminResponse refused = refuseUnlessAuthorizedPost(method, authorization);
            if (refused != null) {
                return refused;
            }
            java.util.List<String> problems = view.reloadCertificates();
            return problems.isEmpty() ? AdminResponse.text(200, "certificates reloaded\n")
                    : AdminResponse.text(422, String.join("\n", problems) + "\n");
        }
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
            case "/failures":
                return failures(query);
            case "/config":
                return new AdminResponse(200, "application/json", view.loadedConfig());
            case "/origins":
                return new AdminResponse(200, "application/json", view.origins());
            default:
                Supplier<AdminResponse> route = extra.get(path);
                if (route != null) {
                    return route.get();
                }
                if (path.startsWith(FAILURE_PREFIX) && path.length() > FAILURE_PREFIX.length()) {
                    String id = path.substring(FAILURE_PREFIX.length());
                    return view.failure(id)
                            .map(json -> new AdminResponse(200, "application/json", json))
                            .orElseGet(() -> AdminResponse.text(404, "no journaled failure for request " + id + "\n"));
                }
                return AdminResponse.text(404, "not found: " + path + "\n");
        }
    }

    private CompletableFuture<AdminResponse> preflight(QueryStringDecoder query) {
        String url = first(query, "url");
        if (url == null) {
            return CompletableFuture.completedFuture(AdminResponse.text(400,
                    "url: none (expected: /preflight?url=https://origin.example/path[&cdn=cloudfront,fastly])\n"));
        }
        try {
            return view.preflight(url, first(query, "cdn"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(AdminResponse.text(400, e.getMessage() + "\n"));
        }
    }

    private AdminResponse failures(QueryStringDecoder query) {
        String code = first(query, "code");
        String limitText = first(query, "limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return AdminResponse.text(400, "limit: " + limitText + " (expected: 1-" + MAX_LIMIT + ")\n");
            }
        }
        try {
            return new AdminResponse(200, "application/json", view.failures(code, limit));
        } catch (IllegalArgumentException e) {
            return AdminResponse.text(400, "code: " + code + " (expected: a catalogue code such as NonS3OriginDnsError)\n");
        }
    }

    /** Returns the refusal of a mutating call that is not a POST with the admin token, or null to go on. */
    private AdminResponse refuseUnlessAuthorizedPost(HttpMethod method, String authorization) {
        if (!HttpMethod.POST.equals(method)) {
            return AdminResponse.text(405, "method not allowed: " + method + " (expected: POST)\n");
        }
        if (token == null) {
            return AdminResponse.text(403, "admin.token: not set (expected: a token, required for this call)\n");
        }
        if (!authorized(authorization)) {
            return AdminResponse.text(401, "authorization: missing or wrong (expected: Bearer <admin.token>)\n");
        }
        return null;
    }

    /** Purges here and, in a cluster, on every other node: the answer lists each node's result. */
    private CompletableFuture<AdminResponse> purge(HttpMethod method, QueryStringDecoder query, String authorization) {
        AdminResponse local = purgeHere(method, query, authorization);
        if (local.status() != 200) {
            return CompletableFuture.completedFuture(local);
        }
        String body = new String(local.body(), java.nio.charset.StandardCharsets.UTF_8);
        return view.purgePeers(first(query, "site"), first(query, "host"), first(query, "path"),
                        "true".equals(first(query, "prefix")))
                .thenApply(peers -> peers == null ? local
                        : AdminResponse.json(200, body.substring(0, body.length() - 1) + ",\"peers\":" + peers + "}"));
    }

    private AdminResponse purgeHere(HttpMethod method, QueryStringDecoder query, String authorization) {
        AdminResponse refused = refuseUnlessAuthorizedPost(method, authorization);
        if (refused != null) {
            return refused;
        }
        String site = first(query, "site");
        String path = first(query, "path");
        String prefix = first(query, "prefix");
        if (site == null || path == null || !path.startsWith("/")) {
            return AdminResponse.text(400, "purge: site=" + site + " path=" + path
                    + " (expected: site=NAME&path=/PATH[&prefix=true][&host=HOST])\n");
        }
        try {
            int removed = view.purge(site, first(query, "host"), path, "true".equals(prefix));
            return AdminResponse.json(200, "{\"purged\":" + removed + "}");
        } catch (IllegalArgumentException e) {
            return AdminResponse.text(404, "site: " + site + " (expected: a configured site name)\n");
        }
    }

    private CompletableFuture<AdminResponse> reloadConfig(HttpMethod method, String authorization) {
        AdminResponse refused = refuseUnlessAuthorizedPost(method, authorization);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        return view.reloadConfig().thenApply(problems -> problems.isEmpty()
                ? new AdminResponse(200, "application/json", view.loadedConfig())
                : AdminResponse.text(422, String.join("\n", problems) + "\n"));
    }

    private static String first(QueryStringDecoder query, String name) {
        java.util.List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Returns whether the Authorization header carries the configured bearer token. */
    boolean authorized(String authorization) {
        return token != null && authorization != null && java.security.MessageDigest.isEqual(
                ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
