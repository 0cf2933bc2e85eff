package io.telltale.core.origin;

import java.net.InetSocketAddress;

/**
 * What makes two origin connections interchangeable: the address, whether TLS is spoken, and the SNI name.
 *
 * @param address the origin's resolved address and port
 * @param tls whether the connection speaks TLS
 * @param serverName the SNI name and verified certificate name, or null for plain HTTP
 */
public record OriginKey(InetSocketAddress address, boolean tls, String serverName) {
}
