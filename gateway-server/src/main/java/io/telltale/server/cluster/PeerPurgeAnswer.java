package io.telltale.server.cluster;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.telltale.core.cache.EdgeCache;
import io.telltale.core.failure.RenderedError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a peer's purge on the edge listener: only a POST with the peers' secret is served; any other request
 * for the path is refused, so clients never reach it.
 */
public final class PeerPurgeAnswer {
    private final Cluster cluster;
    private final EdgeCache cache;
    private final Set<String> sites;

    /** Creates the answer for a node whose cache is {@code cache} and whose sites are named {@code sites}. */
    public PeerPurgeAnswer(Cluster cluster, EdgeCache cache, Set<String> sites) {
        this.cluster = cluster;
        this.cache = cache;
        this.sites = Set.copyOf(sites);
    }

    /** Returns the answer when the request is for the peer purge path, else null. */
    public RenderedError answer(HttpRequest request) {
        if (!request.uri().startsWith(PeerPurges.PATH)) {
            return null;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        if (!PeerPurges.PATH.equals(query.path())) {
            return null;
        }
        if (!cluster.fromPeer(request.headers()) || !HttpMethod.POST.equals(request.method())) {
            return text(403, "peer purge: refused (expected: a POST from a node of this cluster)\n");
        }
        String site = first(query, "site");
        String path = first(query, "path");
        if (site == null || path == null || !path.startsWith("/") || !sites.contains(site)) {
            return text(400, "peer purge: site=" + site + " path=" + path
                    + " (expected: a configured site and a path starting with /)\n");
        }
        int removed = cache.purge(site, first(query, "host"), path, "true".equals(first(query, "prefix")));
        byte[] body = ("{\"purged\":" + removed + "}").getBytes(StandardCharsets.UTF_8);
        return new RenderedError(200, List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "no-store")), "application/json", body);
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static RenderedError text(int status, String body) {
        return new RenderedError(status, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8"),
                Map.entry("Cache-Control", "no-store")), "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
}
