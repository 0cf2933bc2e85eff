package io.telltale.core.http;

import io.netty.util.NetUtil;
import java.util.Locale;

/** Host names and address literals as config, Host headers, SNI and certificates write them. */
public final class HostNames {
    private static final int LONGEST_NAME = 253;
    private static final int LONGEST_LABEL = 63;
    private static final int LONGEST_PORT = 5;

    private HostNames() {
    }

    /** Returns the name in lower case without a trailing dot. */
    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * Returns the normalized host of a Host header value or an absolute URI's authority, without its port, or
     * null when the value is not a syntactically valid host (RFC 3986 reg-name, IPv4 or bracketed IP-literal,
     * optional numeric port).
     */
    public static String parseAuthority(String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        String host;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0 || !validPort(authority, close + 1)) {
                return null;
            }
            host = authority.substring(0, close + 1);
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && !validPort(authority, colon)) {
                return null;
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_';
                if (!ok) {
                    return null;
                }
            }
        }
        return host.isEmpty() ? null : normalize(host);
    }

    /**
     * Returns whether this is a DNS host name: dot-separated labels of letters, digits and inner hyphens, at most
     * 63 characters each and 253 in all, without a trailing dot, and not all-numeric in its last label (so that a
     * mistyped IPv4 address is not taken for a name).
     */
    public static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > LONGEST_NAME) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Returns whether this is a site host: a DNS name, or {@code *.} followed by one (one leading wildcard label). */
    public static boolean isHostPattern(String host) {
        return host.startsWith("*.") ? isDnsName(host.substring(2)) : isDnsName(host);
    }

    /** Returns whether this is an IPv4 or IPv6 address as config writes it: without brackets or a zone. */
    public static boolean isIpLiteral(String text) {
        return NetUtil.isValidIpV4Address(text)
                || (!text.startsWith("[") && text.indexOf('%') < 0 && NetUtil.isValidIpV6Address(text));
    }

    /**
     * Returns whether a host as URIs, Host headers and SNI write it is an address rather than a name: anything in
     * brackets (an RFC 3986 IP-literal), an IPv4 address, or a bare IPv6 address.
     */
    public static boolean isAddress(String host) {
        return host.startsWith("[") || NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    /**
     * Returns whether a normalized name matches a normalized pattern: they are equal, or the pattern's leading
     * {@code *.} stands for exactly one label of a name that is not itself a wildcard (RFC 6125 §6.4.3).
     */
    public static boolean matchesPattern(String pattern, String name) {
        if (pattern.equals(name)) {
            return true;
        }
        if (!pattern.startsWith("*.") || name.startsWith("*.")) {
            return false;
        }
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot + 1).equals(pattern.substring(2));
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > LONGEST_LABEL
                || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean validPort(String authority, int colon) {
        if (colon == authority.length()) {
            return true;
        }
        if (authority.charAt(colon) != ':') {
            return false;
        }
        if (authority.length() - colon - 1 > LONGEST_PORT) {
            return false;
        }
        for (int i = colon + 1; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
