package io.telltale.core.dns;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A DNS server's address and port, parsed from an {@code IP}, {@code IP:port} or {@code [IPv6]:port} literal.
 *
 * @param socketAddress the resolved socket address (never built from a name)
 */
public record DnsServerAddress(InetSocketAddress socketAddress) {
    static final int DNS_PORT = 53;

    /** Parses a literal such as {@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code ::1} or {@code [::1]:5353}. */
    public static DnsServerAddress parse(String literal) {
        String text = literal == null ? "" : literal.trim();
        String host = text;
        int port = DNS_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw invalid(literal);
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw invalid(literal);
                }
                port = port(text.substring(close + 2), literal);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = port(text.substring(text.indexOf(':') + 1), literal);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            throw invalid(literal);
        }
        return of(address(bytes), port);
    }

    /** Returns the server at this address and port. */
    public static DnsServerAddress of(InetAddress address, int port) {
        return new DnsServerAddress(new InetSocketAddress(address, port));
    }

    /** Returns the server's address. */
    public InetAddress address() {
        return socketAddress.getAddress();
    }

    /** Returns the server's port. */
    public int port() {
        return socketAddress.getPort();
    }

    /** Returns {@code 127.0.0.1:5353} or {@code [::1]:5353}. */
    public String label() {
        String ip = address().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port();
    }

    /** Returns the {@code dig} arguments that ask this server: {@code @127.0.0.1 -p 5353}. */
    public String digTarget() {
        return "@" + address().getHostAddress() + (port() == DNS_PORT ? "" : " -p " + port());
    }

    @Override
    public String toString() {
        return label();
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int port(String text, String literal) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw invalid(literal);
            }
            return port;
        } catch (NumberFormatException e) {
            throw invalid(literal);
        }
    }

    private static IllegalArgumentException invalid(String literal) {
        return new IllegalArgumentException("dns.resolvers: " + literal
                + " (expected: an IP literal with an optional port, e.g. 127.0.0.1, 127.0.0.1:5353 or [::1]:5353)");
    }
}
