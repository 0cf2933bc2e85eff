package io.telltale.core.failure;

import java.util.Map;
import java.util.Set;

/**
 * Writes this gateway's member of the RFC 9209 {@code Proxy-Status} field as an RFC 8941 list member.
 *
 * <p>Parameter values are typed as RFC 9209 defines them: {@code error} and {@code alert-message} are
 * tokens, {@code next-hop}, {@code rcode} and {@code details} strings, numbers integers and booleans
 * booleans. An sf-string holds printable ASCII only, so other characters are replaced by {@code ?} and
 * control characters dropped.
 */
public final class ProxyStatus {
    private static final Set<String> TOKEN_PARAMS = Set.of("error", "alert-message", "next-protocol");
    private static final long MAX_INTEGER = 999_999_999_999_999L;

    private ProxyStatus() {
    }

    /**
     * Returns the member for a failure.
     *
     * @param name this intermediary's name (a token when it is one, else a string)
     * @param failure the failure; its error type and type parameters are written
     * @param nextHop the {@code host:port} the gateway was going to, or null to leave it out
     * @param details the {@code details} text, or null to leave it out; ignored when the failure's own
     *     parameters already carry {@code details}
     */
    public static String forFailure(String name, Failure failure, String nextHop, String details) {
        StringBuilder out = new StringBuilder(96);
        item(out, name);
        param(out, "error", failure.proxyStatusError());
        for (Map.Entry<String, Object> p : failure.proxyStatusParams().entrySet()) {
            param(out, p.getKey(), p.getValue());
        }
        if (nextHop != null) {
            param(out, "next-hop", nextHop);
        }
        // A failure that names its own details (TLS does) keeps them: a key may appear only once in a member.
        if (details != null && !details.isEmpty() && !failure.proxyStatusParams().containsKey("details")) {
            param(out, "details", details);
        }
        return out.toString();
    }

    /** Returns the member naming only the error type, with no parameters that could reveal evidence. */
    public static String forFailurePublic(String name, Failure failure) {
        StringBuilder out = new StringBuilder(48);
        item(out, name);
        param(out, "error", failure.proxyStatusError());
        return out.toString();
    }

    /** Returns the member for a response received from the origin and passed on, e.g. {@code received-status=503}. */
    public static String forReceivedStatus(String name, int status, String nextHop) {
        StringBuilder out = new StringBuilder(64);
        item(out, name);
        if (nextHop != null) {
            param(out, "next-hop", nextHop);
        }
        param(out, "received-status", status);
        return out.toString();
    }

    /** Appends {@code ;key=value} typed per RFC 8941; {@code true} is written as the bare key. */
    static void param(StringBuilder out, String key, Object value) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("key: " + key + " (expected: lcalpha or * then lcalpha, digit, _, -, ., *)");
        }
        out.append("; ").append(key);
        if (value instanceof Boolean b) {
            if (!b) {
                out.append("=?0");
            }
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long n = ((Number) value).longValue();
            if (Math.abs(n) > MAX_INTEGER) {
                throw new IllegalArgumentException(key + ": " + n + " (expected: at most 15 digits)");
            }
            out.append('=').append(n);
        } else if (TOKEN_PARAMS.contains(key) && isToken(String.valueOf(value))) {
            out.append('=').append(value);
        } else {
            out.append('=');
            string(out, String.valueOf(value));
        }
    }

    private static void item(StringBuilder out, String name) {
        if (isToken(name)) {
            out.append(name);
        } else {
            string(out, name);
        }
    }

    /** Appends an sf-string: quoted, {@code "} and {@code \} escaped, printable ASCII only. */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c <= 0x7e) {
                out.append(c);
            } else if (c > 0x7f && !Character.isLowSurrogate(c)) {
                out.append('?');
            }
        }
        out.append('"');
    }

    /** Returns whether the text is an RFC 8941 key. */
    static boolean isKey(String s) {
        if (s.isEmpty() || !(isLcAlpha(s.charAt(0)) || s.charAt(0) == '*')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isLcAlpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*')) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether the text is an RFC 8941 token. */
    static boolean isToken(String s) {
        if (s.isEmpty() || !(isAlpha(s.charAt(0)) || s.charAt(0) == '*')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isTchar(c) || c == ':' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTchar(char c) {
        return isAlpha(c) || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }
}
