package io.telltale.core.failure;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The origin a request was going to: its name, port and, once resolved, the address.
 *
 * @param host the origin's configured name or IP literal
 * @param port the TCP port
 * @param address the resolved address being used, or null before resolution
 */
public record OriginHop(String host, int port, InetAddress address) {

    public OriginHop {
        Objects.requireNonNull(host, "host");
    }

    /** Returns the RFC 9209 {@code next-hop} value, {@code host:port}. */
    public String nextHop() {
        return host + ':' + port;
    }

    /** Returns the address as text without a host name (IPv6 compressed, RFC 5952), or null before resolution. */
    public String addressText() {
        return address == null ? null : NetUtil.toAddressString(address);
    }
}
