package io.telltale.core.failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a failure into the gateway's error response: status, explaining headers and a body in the
 * format the client's {@code Accept} prefers, with evidence only for trusted clients.
 *
 * <p>Pure: no channel, no clock, no I/O. The server writes the returned bytes and adds
 * {@code Content-Length}; for {@code HEAD} it drops the body.
 */
public final class ErrorResponseRenderer {
    /** The path prefix of the catalogue pages, the problem details {@code type}. */
    public static final String CATALOGUE_PATH = "/__telltale/errors/";
    /** The path prefix naming one request, the problem details {@code instance}. */
    public static final String REQUESTS_PATH = "/__telltale/requests/";
    /** The {@code X-Cache} value of every response the gateway generates. */
    public static final String X_CACHE_ERROR = "Error from gateway";

    private static final List<String> CATALOGUE_FORMATS =
            List.of(AcceptNegotiation.HTML, AcceptNegotiation.PROBLEM_JSON, AcceptNegotiation.PLAIN);

    private ErrorResponseRenderer() {
    }

    /** Returns the error response for a failure. */
    public static RenderedError render(Failure failure, ErrorContext ctx) {
        ErrorView view = ErrorView.of(failure, ctx);
        String format = AcceptNegotiation.choose(ctx.accept(), AcceptNegotiation.ERROR_FORMATS);
        byte[] body;
        String contentType;
        if (format.equals(AcceptNegotiation.PROBLEM_JSON)) {
            contentType = AcceptNegotiation.PROBLEM_JSON;
            body = FailureJson.write(FailureJson.problem(view));
        } else if (format.equals(AcceptNegotiation.HTML)) {
            contentType = "text/html; charset=utf-8";
            body = ErrorPage.html(view, view.trusted() ? ctx.timeline() : null, ctx.now()).getBytes(StandardCharsets.UTF_8);
        } else {
            contentType = "text/plain; charset=utf-8";
            body = ErrorPages.text(view).getBytes(StandardCharsets.UTF_8);
        }
        String proxyStatus = ctx.trusted()
                ? ProxyStatus.forFailure(ctx.gatewayName(), failure, ctx.nextHop(), failure.detail())
                : ProxyStatus.forFailurePublic(ctx.gatewayName(), failure);
        List<Map.Entry<String, String>> headers = new ArrayList<>(8);
        headers.add(Map.entry("X-Cache", X_CACHE_ERROR));
        headers.add(Map.entry("X-Gateway-Error-Code", failure.code().code()));
        headers.add(Map.entry("Proxy-Status", proxyStatus));
        headers.add(Map.entry("X-Request-Id", ctx.requestId()));
        headers.add(Map.entry("Cache-Status", cacheStatus(ctx.gatewayName(), failure.code())));
        headers.add(Map.entry("Cache-Control", ctx.cacheControl() == null ? "no-store" : ctx.cacheControl()));
        headers.add(Map.entry("Content-Type", contentType));
        return new RenderedError(view.status(), headers, contentType, body);
    }

    /**
     * Returns the headers to add to an origin's own 5xx (or any status) passed through unchanged.
     *
     * @param receivedStatus the status the origin sent
     * @param gatewayName the gateway's name in {@code Proxy-Status}
     * @param nextHop the origin's {@code host:port}, shown to trusted clients only, or null
     * @param trusted whether the client may see the origin's name
     */
    public static List<Map.Entry<String, String>> passThroughHeaders(int receivedStatus, String gatewayName,
            String nextHop, boolean trusted) {
        return List.of(
                Map.entry("X-Cache", X_CACHE_ERROR),
                Map.entry("Proxy-Status", ProxyStatus.forReceivedStatus(gatewayName, receivedStatus, trusted ? nextHop : null)),
                Map.entry("Cache-Status", cacheStatusToken(gatewayName) + "; fwd=miss; fwd-status=" + receivedStatus));
    }

    /**
     * Returns the catalogue page of a code for {@code GET /__telltale/errors/<code>}: HTML, problem-style
     * JSON or text as {@code Accept} prefers, or a 404 naming the nearest codes.
     */
    public static RenderedError renderCataloguePage(String code, String accept, String gatewayName) {
        FailureCode c = FailureCode.byCode(code);
        if (c == null) {
            String body = "Unknown error code: " + code + "\nDid you mean: " + String.join(", ", CodeLookup.nearest(code, 3)) + "\n";
            return plain(404, body);
        }
        String format = AcceptNegotiation.choose(accept, CATALOGUE_FORMATS);
        if (format.equals(AcceptNegotiation.PROBLEM_JSON)) {
            return page("application/json", FailureJson.write(FailureJson.entry(c)));
        }
        if (format.equals(AcceptNegotiation.PLAIN)) {
            return page("text/plain; charset=utf-8", ErrorPages.entryText(c).getBytes(StandardCharsets.UTF_8));
        }
        return page("text/html; charset=utf-8", ErrorPage.entryHtml(c, gatewayName).getBytes(StandardCharsets.UTF_8));
    }

    /** Returns an entry as the plain text {@code telltale explain} prints. */
    public static String explain(FailureCode code) {
        return ErrorPages.entryText(code);
    }

    /** Returns the RFC 9211 {@code Cache-Status} member of a generated error: not looked up, forwarded as a miss. */
    static String cacheStatus(String gatewayName, FailureCode code) {
        StringBuilder out = new StringBuilder(64).append(cacheStatusToken(gatewayName)).append("; fwd=miss; detail=");
        ProxyStatus.string(out, code.code());
        return out.toString();
    }

    private static String cacheStatusToken(String gatewayName) {
        if (ProxyStatus.isToken(gatewayName)) {
            return gatewayName;
        }
        StringBuilder out = new StringBuilder();
        ProxyStatus.string(out, gatewayName);
        return out.toString();
    }

    private static RenderedError page(String contentType, byte[] body) {
        return new RenderedError(200, List.of(Map.entry("Content-Type", contentType), Map.entry("Cache-Control", "max-age=3600")),
                contentType, body);
    }

    private static RenderedError plain(int status, String body) {
        String contentType = "text/plain; charset=utf-8";
        return new RenderedError(status, List.of(Map.entry("Content-Type", contentType), Map.entry("Cache-Control", "no-store")),
                contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
