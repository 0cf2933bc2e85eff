package io.telltale.core.diagnosis;

import io.telltale.core.http.HostNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The origin a probe goes to, read from an {@code http} or {@code https} URL.
 *
 * @param url the URL as given
 * @param tls whether the scheme is {@code https}
 * @param host the host name or IP literal, lower case, without brackets or a trailing dot
 * @param port the port, the scheme's default when the URL names none
 * @param path the path and query to request, {@code /} when the URL has none
 */
public record ProbeTarget(String url, boolean tls, String host, int port, String path) {
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    /**
     * Reads a URL such as {@code https://www.example.com:8443/health}.
     *
     * @throws IllegalArgumentException reading {@code url: ftp://x (expected: an http or https URL)} when it is not one
     */
    public static ProbeTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw invalid(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!(scheme.equals("http") || scheme.equals("https")) || host == null || uri.getRawUserInfo() != null) {
            throw invalid(url);
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() < 0 ? (tls ? HTTPS_PORT : HTTP_PORT) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw invalid(url);
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        bare = bare.toLowerCase(Locale.ROOT);
        if (bare.endsWith(".")) {
            bare = bare.substring(0, bare.length() - 1);
        }
        if (!HostNames.isIpLiteral(bare) && !HostNames.isDnsName(bare)) {
            throw invalid(url);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new ProbeTarget(url.trim(), tls, bare, port, path);
    }

    /** Returns whether the host is an IP literal, so that no DNS lookup is needed. */
    public boolean ipLiteral() {
        return HostNames.isIpLiteral(host);
    }

    /** Returns {@code http} or {@code https}. */
    public String scheme() {
        return tls ? "https" : "http";
    }

    /** Returns whether the port is the scheme's default, so that it is left out of Host and URLs. */
    public boolean defaultPort() {
        return port == (tls ? HTTPS_PORT : HTTP_PORT);
    }

    /** Returns the name as written in a URL authority or Host header: IPv6 literals in brackets, the port when not default. */
    public String authority(String name) {
        String h = name.indexOf(':') >= 0 ? "[" + name + "]" : name;
        return defaultPort() ? h : h + ":" + port;
    }

    /** Returns the URL of the same path on another name (the SNI name, when it differs from the host). */
    public String urlFor(String name) {
        return scheme() + "://" + authority(name) + path;
    }

    private static IllegalArgumentException invalid(String url) {
        return new IllegalArgumentException("url: " + url + " (expected: an http or https URL)");
    }
}
