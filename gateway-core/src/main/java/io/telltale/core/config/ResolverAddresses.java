package io.telltale.core.config;

import io.netty.util.NetUtil;
import io.telltale.core.http.HostNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Reads resolver addresses written {@code IP}, {@code IP:port} or {@code [IPv6]:port}; names are refused. */
public final class ResolverAddresses {
    /** What a resolver address looks like, for error messages. */
    public static final String EXPECTED = "an IP literal such as 127.0.0.1:53";

    private static final int DNS_PORT = 53;

    private ResolverAddresses() {
    }

    /** Parses a resolver address (port 53 when none is given), throwing {@link IllegalArgumentException} otherwise. */
    public static InetSocketAddress parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException(EXPECTED);
            }
            host = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') >= 0) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        } else {
            host = text;
            port = null;
        }
        if (!HostNames.isIpLiteral(host) || (text.startsWith("[") && NetUtil.isValidIpV4Address(host))) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return new InetSocketAddress(literal(host), port == null ? DNS_PORT : port(port));
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(EXPECTED);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return port;
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
    }
}
