package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Recognises an origin redirect whose {@code Location} is the request's own URL, the loop a visitor sees as
 * "too many redirects", and words its likely cause.
 *
 * <p>The classic case: visitors use https, the gateway reaches the origin over http, and the origin, seeing
 * http, redirects to https, which is the same URL again. The response is still relayed; this only explains it.
 */
final class SelfRedirect {
    /** The {@code X-Gateway-Warning} token. */
    static final String TOKEN = "redirect-to-itself";

    private SelfRedirect() {
    }

    /** Returns the sentence explaining a redirect to the request's own URL, or null when this is not one. */
    static String cause(ProxyExchange e, HttpHeaders h, int code) {
        if (code < 300 || code > 399 || code == 304) {
            return null;
        }
        String location = h.get(HttpHeaderNames.LOCATION);
        if (location == null || e.host == null || "-".equals(e.host)) {
            return null;
        }
        String own = e.facts().scheme() + "://" + e.host + e.facts().path();
        try {
            URI request = new URI(own);
            URI target = request.resolve(new URI(location.trim()));
            if (!same(request, target)) {
                return null;
            }
        } catch (URISyntaxException | IllegalArgumentException ex) {
            return null;
        }
        boolean plainToOrigin = e.target != null && !e.target.tls();
        String start = "The origin answered " + code + " with Location " + location + ", the URL this request asked for, "
                + "so a browser loops until it gives up (too many redirects).";
        if (plainToOrigin && "https".equals(e.facts().scheme())) {
            return start + " The likely cause: the gateway reaches the origin over http, so the origin sees http and "
                    + "redirects to https; use https toward the origin (protocol: https-only or match-viewer) or make "
                    + "the origin honour X-Forwarded-Proto: https, which the gateway sends.";
        }
        return start + " The origin's redirect rule does not see what the visitor asked for: compare its rule with the "
                + "Host, X-Forwarded-Host and X-Forwarded-Proto the gateway sends.";
    }

    private static boolean same(URI a, URI b) {
        return a.getScheme() != null && b.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && b.getHost() != null
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
                && port(a) == port(b)
                && Objects.equals(emptyAsSlash(a.getRawPath()), emptyAsSlash(b.getRawPath()))
                && Objects.equals(a.getRawQuery(), b.getRawQuery());
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String emptyAsSlash(String path) {
        return path == null || path.isEmpty() ? "/" : path;
    }
}
