package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * A site's HTTP/1.1 protocol upgrades (RFC 9110 §7.8): which ones are passed to the origin, and how long the
 * byte tunnel that follows a {@code 101 Switching Protocols} may stay silent.
 *
 * @param protocols the upgrade tokens forwarded to the origin (compared without case); any other token is dropped
 *     and the request is served as plain HTTP; an empty list turns upgrades off. {@code h2c} and {@code h2} are
 *     refused: an origin speaking HTTP/2 behind a tunnel would receive requests this gateway never routed, checked
 *     or logged
 * @param idleTimeout how long a tunnel may carry no byte in either direction before the gateway closes both
 *     connections (like nginx's {@code proxy_read_timeout} on an upgraded connection)
 */
public record UpgradeConfig(
        @Default("[websocket]") List<String> protocols,
        @Default("60s") Duration idleTimeout) {
}
