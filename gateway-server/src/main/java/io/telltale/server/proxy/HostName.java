package io.telltale.server.proxy;

import io.netty.util.NetUtil;
import java.util.Locale;

/** Reads the host name out of a Host header value or an absolute URI's authority. */
public final class HostName {
    private HostName() {
    }

    /**
     * Returns the lower-case host without port and without a trailing dot, or null when the value is not a
     * syntactically valid host (RFC 3986 reg-name, IPv4 or bracketed IPv6, optional numeric port).
     */
    static String parse(String authority) {
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
        if (host.isEmpty()) {
            return null;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** Returns whether a parsed host is an IP literal rather than a name. */
    static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        return NetUtil.isValidIpV4Address(host);
    }

    private static boolean validPort(String authority, int colon) {
        if (colon == authority.length()) {
            return true;
        }
        if (authority.charAt(colon) != ':') {
            return false;
        }
        int digits = authority.length() - colon - 1;
        if (digits > 5) {
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
