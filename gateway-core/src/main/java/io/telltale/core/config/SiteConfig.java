package io.telltale.core.config;

import io.telltale.core.profile.CdnProfile;
import java.util.List;

/**
 * One site: the host names it answers, its origins and its policies.
 *
 * @param name a unique name used in metrics, logs and errors
 * @param hosts exact host names, {@code *.example.com} wildcards, or {@code *}: the default site for any other
 *     host, IP literals included
 * @param origins its origins; without an origin group the first is used and the others are tried in order when
 *     connecting fails
 * @param originGroup how the origins share requests and fail over, or null for the plain ordered list
 * @param detail how much failure evidence responses show
 * @param debugToken the value of the {@code X-Telltale-Debug} header that makes a request trusted, or null
 * @param trustedNetworks client networks (CIDR) whose requests are trusted
 * @param allowedOriginNetworks networks (CIDR) that origins may resolve to although they are otherwise
 *     prohibited (loopback, private, link-local, metadata)
 * @param allowedOriginPorts if not empty, the only origin ports allowed for this site
 * @param cache the cache policy
 * @param rules the header rules
 * @param tls the certificate for HTTPS, or null when the site is served over plain HTTP only
 * @param upgrades the protocol upgrades (WebSocket) passed to the origin and their tunnels' idle timeout
 * @param allowTrace whether TRACE requests are forwarded to its origins; otherwise the gateway answers them 405
 * @param profile the CDN whose treatment of origins its origins get unless they name their own, and whose answers
 *     its failures get
 */
public record SiteConfig(
        String name,
        List<String> hosts,
        List<OriginConfig> origins,
        @Optional OriginGroupConfig originGroup,
        @Default("public") DetailPolicy detail,
        @Optional String debugToken,
        List<String> trustedNetworks,
        List<String> allowedOriginNetworks,
        List<Integer> allowedOriginPorts,
        SiteCacheConfig cache,
        EdgeRulesConfig rules,
        @Optional SiteTlsConfig tls,
        UpgradeConfig upgrades,
        @Default("false") boolean allowTrace,
        @Default("telltale") CdnProfile profile) {
}
