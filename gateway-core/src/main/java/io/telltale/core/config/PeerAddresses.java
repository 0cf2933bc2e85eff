package io.telltale.core.config;

import java.net.InetSocketAddress;

/** Reads a cluster node's address, written {@code IP:port} or {@code [IPv6]:port}; names are refused. */
public final class PeerAddresses {
    /** What a node's address looks like, for error messages. */
    public static final String EXPECTED = "an IP literal and port such as 10.0.0.5:8080 or [fd00::5]:8080";

    private PeerAddresses() {
    }

    /** Parses a node's address, throwing {@link IllegalArgumentException} when it is not an IP literal with a port. */
    public static InetSocketAddress parse(String text) {
        boolean hasPort = text.startsWith("[") ? text.contains("]:") : text.indexOf(':') >= 0
                && text.indexOf(':') == text.lastIndexOf(':');
        if (!hasPort) {
            throw new IllegalArgumentException(EXPECTED);
        }
        try {
            return ResolverAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
    }

    /** Returns the address as nodes name each other: {@code IP:port}, an IPv6 literal in brackets. */
    public static String name(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
