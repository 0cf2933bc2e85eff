package io.telltale.server.local;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.telltale.core.failure.ErrorResponseRenderer;
import io.telltale.core.failure.FailureJournal;
import io.telltale.core.failure.RenderedError;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The requests the gateway answers itself instead of an origin: catalogue pages on every host, and on a
 * site the trace page and the journal records its trusted clients may read.
 */
public final class LocalAnswers {
    /** The diagnostic page in the key=value style of Cloudflare's {@code /cdn-cgi/trace}, on every site. */
    public static final String TRACE_PATH = "/__telltale/trace";

    private LocalAnswers() {
    }

    /** Returns the catalogue page a GET or HEAD asks for, served before routing, or null. */
    public static RenderedError catalogue(HttpRequest request, String via) {
        String uri = request.uri();
        if (!uri.startsWith(ErrorResponseRenderer.CATALOGUE_PATH)
                || !(HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))) {
            return null;
        }
        // The catalogue pages that problem+json "type" links point at are served on every host.
        String path = decodedPath(uri);
        if (path == null) {
            return null;
        }
        String code = path.substring(ErrorResponseRenderer.CATALOGUE_PATH.length());
        return ErrorResponseRenderer.renderCataloguePage(code, request.headers().get("Accept"), via);
    }

    /**
     * Returns the trace page or a journal record for a routed request with a safe method, or null when the
     * request is for the origin.
     *
     * @param request the request
     * @param safe whether its method is safe
     * @param traceFacts what the trace page reports, asked for only when the trace is wanted
     * @param journal the failure journal
     * @param site the site the request was routed to
     * @param trusted whether the client may see full evidence
     * @param requestId the request's id
     */
    public static RenderedError forSite(HttpRequest request, boolean safe, Supplier<Map<String, String>> traceFacts,
            FailureJournal journal, String site, boolean trusted, String requestId) {
        String uri = request.uri();
        String path = safe && uri.startsWith("/__telltale/") ? decodedPath(uri) : null;
        if (path == null) {
            return null;
        }
        if (TRACE_PATH.equals(path)) {
            return GatewayResponses.trace(traceFacts.get());
        }
        if (path.startsWith(ErrorResponseRenderer.REQUESTS_PATH)) {
            // The "instance" of a problem: the journaled record, for the clients this site trusts with evidence.
            return GatewayResponses.journalEntry(journal, site, trusted, requestId,
                    path.substring(ErrorResponseRenderer.REQUESTS_PATH.length()));
        }
        return null;
    }

    /** Returns a target's decoded path, or null when its percent-encoding is broken: it then names no local answer. */
    private static String decodedPath(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
