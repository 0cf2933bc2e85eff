package io.telltale.core.config;

import io.netty.util.NetUtil;

/** Recognises DNS names, site host patterns and IP literals as they may be written in config. */
public final class HostNames {
    private static final int LONGEST_NAME = 253;
    private static final int LONGEST_LABEL = 63;

    private HostNames() {
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

    /** Returns whether this is an IPv4 or IPv6 address literal, written without brackets. */
    public static boolean isIpLiteral(String text) {
        return NetUtil.isValidIpV4Address(text)
                || (!text.startsWith("[") && text.indexOf('%') < 0 && NetUtil.isValidIpV6Address(text));
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
}
