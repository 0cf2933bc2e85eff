package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Builds a site's cache keys from requests, following its {@code queryParameters} and {@code keyHeaders}. */
final class KeyRecipe {
    private static final char ABSENT = '\u0000';

    private final String site;
    private final Set<String> queryParameters;
    private final boolean dropQuery;
    private final AsciiString[] keyHeaders;

    KeyRecipe(String site, List<String> queryParameters, List<String> keyHeaders) {
        this.site = site;
        this.queryParameters = queryParameters == null ? null : new HashSet<>(queryParameters);
        this.dropQuery = queryParameters != null && queryParameters.isEmpty();
        List<String> names = keyHeaders == null ? List.of() : keyHeaders;
        this.keyHeaders = new AsciiString[names.size()];
        for (int i = 0; i < names.size(); i++) {
            this.keyHeaders[i] = AsciiString.cached(names.get(i).toLowerCase(Locale.ROOT));
        }
    }

    /** Returns the primary key of a request for this URI (origin-form or absolute-form). */
    CacheKey keyOf(String scheme, String host, String uri, HttpHeaders headers) {
        int pathStart = pathStart(uri);
        int end = uri.indexOf('#', pathStart);
        end = end < 0 ? uri.length() : end;
        int q = uri.indexOf('?', pathStart);
        if (q > end) {
            q = -1;
        }
        String path = pathStart == 0 && q < 0 && end == uri.length() ? uri : uri.substring(pathStart, q < 0 ? end : q);
        if (path.isEmpty()) {
            path = "/";
        }
        String query = q < 0 || dropQuery ? "" : query(uri.substring(q + 1, end));
        return new CacheKey(site, scheme, normaliseHost(host), path, query, keyHeaderValues(headers), null);
    }

    private static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return 0;
        }
        int slash = uri.indexOf('/', scheme + 3);
        return slash < 0 ? uri.length() : slash;
    }

    /** Returns the host lower-case and without its port. */
    static String normaliseHost(String host) {
        int colon = host.lastIndexOf(':');
        String bare = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
        return bare.toLowerCase(Locale.ROOT);
    }

    private String query(String raw) {
        if (raw.isEmpty()) {
            return raw;
        }
        List<String> kept = new ArrayList<>();
        int start = 0;
        while (start <= raw.length()) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? raw.length() : amp;
            if (end > start) {
                String pair = raw.substring(start, end);
                int eq = pair.indexOf('=');
                if (queryParameters == null || queryParameters.contains(eq < 0 ? pair : pair.substring(0, eq))) {
                    kept.add(pair);
                }
            }
            start = end + 1;
        }
        if (kept.size() > 1) {
            String[] sorted = kept.toArray(new String[0]);
            Arrays.sort(sorted);
            return String.join("&", sorted);
        }
        return kept.isEmpty() ? "" : kept.get(0);
    }

    private String keyHeaderValues(HttpHeaders headers) {
        if (keyHeaders.length == 0) {
            return "";
        }
        return values(keyHeaders, headers);
    }

    /**
     * Returns the normalised values of these request headers: each list element trimmed, absent marked, and in
     * lower case for the fields whose values are case-insensitive (language tags, RFC 5646 §2.1.1; content
     * codings, RFC 9110 §8.4.1), so that {@code eN, De} finds the variant stored for {@code en, de}.
     */
    static String values(AsciiString[] names, HttpHeaders headers) {
        StringBuilder out = new StringBuilder(32);
        for (AsciiString name : names) {
            List<String> lines = headers.getAll(name);
            if (lines.isEmpty()) {
                out.append(ABSENT);
            } else {
                appendNormalised(out, lines, isCaseInsensitive(name));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static boolean isCaseInsensitive(AsciiString name) {
        return name.contentEqualsIgnoreCase(HttpHeaderNames.ACCEPT_LANGUAGE)
                || name.contentEqualsIgnoreCase(HttpHeaderNames.ACCEPT_ENCODING);
    }

    private static void appendNormalised(StringBuilder out, List<String> lines, boolean lowerCase) {
        boolean first = true;
        for (String line : lines) {
            int start = 0;
            while (start <= line.length()) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                String element = line.substring(start, end).trim();
                if (!element.isEmpty()) {
                    if (!first) {
                        out.append(',');
                    }
                    out.append(lowerCase ? element.toLowerCase(Locale.ROOT) : element);
                    first = false;
                }
                start = end + 1;
            }
        }
    }
}
