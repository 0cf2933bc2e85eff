package io.telltale.core.origin;

import io.telltale.core.config.OriginConfig;
import java.net.InetSocketAddress;

/**
 * What makes two origin connections interchangeable: the address, whether TLS is spoken, the SNI name and,
 * for TLS, the origin settings the certificate was verified under.
 *
 * <p>The settings are part of the key because a connection verified under one site's CA bundle, chain order
 * or protocol floor must never serve another site whose stricter settings would have refused it.
 *
 * @param address the origin's resolved address and port
 * @param tls whether the connection speaks TLS
 * @param serverName the SNI name and verified certificate name, or null for plain HTTP
 * @param tlsOrigin the origin configuration whose TLS settings verified the connection, or null for plain HTTP
 */
public record OriginKey(InetSocketAddress address, boolean tls, String serverName, OriginConfig tlsOrigin) {
}
