package io.telltale.server.edge;

import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.ProxyPhases;

/**
 * What every client connection of a listener shares: the gateway and its request phases.
 *
 * @param gateway the gateway
 * @param phases the phases each request goes through
 */
record EdgeContext(Gateway gateway, ProxyPhases phases) {
}
