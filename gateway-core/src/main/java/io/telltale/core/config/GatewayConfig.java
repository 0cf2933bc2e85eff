package io.telltale.core.config;

import java.util.List;

/**
 * The whole gateway configuration, as read from one YAML file.
 *
 * @param server the edge listeners
 * @param admin the admin listener
 * @param limits limits on what clients and origins may send
 * @param dns how origin names are resolved
 * @param cache the shared cache's global bounds
 * @param sites the sites, matched by the request's Host
 * @param observe the access log's format, trace context and span export
 * @param cluster the nodes this gateway shares its cache with, or null for a gateway on its own
 */
public record GatewayConfig(
        ServerConfig server,
        AdminConfig admin,
        LimitsConfig limits,
        DnsConfig dns,
        CacheConfig cache,
        List<SiteConfig> sites,
        ObserveConfig observe,
        @Optional ClusterConfig cluster) {
}
