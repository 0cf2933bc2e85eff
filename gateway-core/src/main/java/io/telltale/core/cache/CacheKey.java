package io.telltale.core.cache;

import java.util.Objects;

/**
 * Identifies a stored response: site, scheme, lower-case host, path, the key's query and request
 * header values, and (for a response with {@code Vary}) the variant.
 *
 * <p>The method is not part of the key: HEAD is answered from what GET stored.
 */
public final class CacheKey {
    private final String site;
    private final String scheme;
    private final String host;
    private final String path;
    private final String query;
    private final String headers;
    private final String variant;
    private final int hash;

    CacheKey(String site, String scheme, String host, String path, String query, String headers, String variant) {
        this.site = Objects.requireNonNull(site, "site");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.host = Objects.requireNonNull(host, "host");
        this.path = Objects.requireNonNull(path, "path");
        this.query = Objects.requireNonNull(query, "query");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.variant = variant;
        this.hash = Objects.hash(site, scheme, host, path, query, headers, variant);
    }

    /** Returns the site's name. */
    public String site() {
        return site;
    }

    /** Returns the scheme, {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** Returns the host, lower-case and without a port. */
    public String host() {
        return host;
    }

    /** Returns the path. */
    public String path() {
        return path;
    }

    /** Returns the query as the key sees it: filtered, sorted, without the {@code ?}; empty when none. */
    public String query() {
        return query;
    }

    /** Returns the values of the site's key headers, or empty when it has none. */
    public String headers() {
        return headers;
    }

    /** Returns the normalised values of the request headers named by {@code Vary}, or null for the primary key. */
    public String variant() {
        return variant;
    }

    /** Returns the key of the variant with these normalised request header values. */
    CacheKey withVariant(String values) {
        return new CacheKey(site, scheme, host, path, query, headers, values);
    }

    /** Returns the primary key that this variant key belongs to. */
    CacheKey primary() {
        return variant == null ? this : new CacheKey(site, scheme, host, path, query, headers, null);
    }

    /** Returns whether this key shares the primary key's URI and key headers with the other key. */
    boolean samePrimary(CacheKey other) {
        return site.equals(other.site) && scheme.equals(other.scheme) && host.equals(other.host)
                && path.equals(other.path) && query.equals(other.query) && headers.equals(other.headers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && hash == k.hash && samePrimary(k) && Objects.equals(variant, k.variant);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return site + ' ' + scheme + "://" + host + path + (query.isEmpty() ? "" : "?" + query)
                + (headers.isEmpty() ? "" : " [" + headers + ']') + (variant == null ? "" : " {" + variant + '}');
    }
}
