package io.telltale.server.proxy;

import io.telltale.core.cache.SiteCache;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.config.SniMode;
import io.telltale.core.origin.AddressGuard;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.rules.EdgeRuleEngine;
import io.telltale.server.balance.OriginGroup;
import java.util.List;

/**
 * A configured site as the request path uses it: its config and what was derived from it once at load.
 *
 * @param config the site's configuration
 * @param addressGuard decides which addresses its origins may be reached at
 * @param trust decides which requests see full failure evidence
 * @param rules the site's header rules
 * @param cache the site's view of the shared cache, or null when the site does not cache
 * @param group the order its origins are tried in and when a request moves on
 */
public record Site(SiteConfig config, AddressGuard addressGuard, ClientTrust trust, EdgeRuleEngine rules, SiteCache cache,
        OriginGroup group) {

    /** Returns the site's name. */
    String name() {
        return config.name();
    }

    /** Returns the configured origins, in the order listed. */
    List<OriginConfig> origins() {
        return config.origins();
    }

    /** Returns how the origin at this index is reached for a viewer on the given scheme and Host name. */
    public OriginTarget target(int index, boolean viewerTls, String viewerHostName) {
        OriginConfig origin = config.origins().get(index);
        boolean tls = origin.protocol() == OriginProtocol.HTTPS_ONLY || origin.protocol() == OriginProtocol.H2
                || (origin.protocol() == OriginProtocol.MATCH_VIEWER && viewerTls);
        String serverName = origin.sni() == SniMode.VIEWER_HOST ? viewerHostName : origin.host();
        return new OriginTarget(origin, tls, tls ? origin.httpsPort() : origin.httpPort(), serverName);
    }
}
