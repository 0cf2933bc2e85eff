package io.telltale.core.config;

/**
 * The admin listener: health, metrics, the failure journal, purge, certificate reload and diagnose.
 *
 * @param enabled whether the admin listener runs
 * @param bindAddress the IP literal it binds to (loopback by default)
 * @param port its port (0 picks a free port)
 * @param token the bearer token that mutating endpoints (purge, certificate and config reload) require, or null to
 *     refuse them
 */
public record AdminConfig(
        @Default("true") boolean enabled,
        @Default("127.0.0.1") String bindAddress,
        @Default("9090") int port,
        @Optional String token) {
}
