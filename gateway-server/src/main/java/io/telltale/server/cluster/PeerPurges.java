package io.telltale.server.cluster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Sends a purge on to every other node of the cluster and collects each node's answer. It runs on the admin path,
 * off the request path, so it uses the JDK's client rather than the proxy's origin attempts.
 */
public final class PeerPurges implements AutoCloseable {
    /** The path a node answers a peer's purge on, on its edge listener, for requests with the peers' secret. */
    public static final String PATH = "/__telltale/peer/purge";

    private final Cluster cluster;
    private final HttpClient client;
    private final ExecutorService threads;
    private final Duration timeout;

    /** Creates the purges of a cluster, whose client runs on {@code threads}. */
    public PeerPurges(Cluster cluster, ExecutorService threads, Duration timeout) {
        this.cluster = cluster;
        this.threads = threads;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().executor(threads).connectTimeout(timeout)
                .proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One node's answer to a purge: its status and body, or why it could not be asked. */
    public record PeerResult(String node, int status, String body, String error) {
        /** Returns the result as a JSON object: the node's own JSON answer, or the error. */
        public String json() {
            StringBuilder out = new StringBuilder(96).append("{\"node\":\"").append(node).append('"');
            if (error != null) {
                out.append(",\"error\":\"").append(error.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                out.append(",\"status\":").append(status);
                if (body.startsWith("{")) {
                    out.append(",\"result\":").append(body.strip());
                }
            }
            return out.append('}').toString();
        }
    }

    /**
     * Purges on every other node; the future completes when every node answered or failed, never exceptionally.
     *
     * @param site the site's name
     * @param host the host name the purge is limited to, or null
     * @param path the path, or the prefix when {@code prefix} is true
     * @param prefix whether {@code path} is a prefix
     */
    public CompletableFuture<List<PeerResult>> purge(String site, String host, String path, boolean prefix) {
        String query = "?site=" + encode(site) + "&path=" + encode(path) + (prefix ? "&prefix=true" : "")
                + (host == null ? "" : "&host=" + encode(host));
        List<CompletableFuture<PeerResult>> answers = new ArrayList<>();
        for (String node : cluster.nodes().others()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + node + PATH + query))
                    .timeout(timeout)
                    .header(Cluster.PEER_HEADER.toString(), cluster.secret())
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .handle((response, failure) -> failure == null
                            ? new PeerResult(node, response.statusCode(), response.body(), null)
                            : new PeerResult(node, 0, "", describe(failure))));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
