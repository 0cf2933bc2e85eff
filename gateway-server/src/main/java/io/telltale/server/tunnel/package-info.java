/**
 * Byte tunnels: after an origin switched protocols (101), the client's and the origin's connections carry each
 * other's bytes unread, with backpressure both ways, half-closes passed on, and an idle timeout.
 */
package io.telltale.server.tunnel;
