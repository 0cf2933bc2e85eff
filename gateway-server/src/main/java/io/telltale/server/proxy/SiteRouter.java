package io.telltale.server.proxy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the site for a request's host name: exact names first, then {@code *.example.com} wildcards,
 * which match exactly one label as in TLS certificates.
 */
public final class SiteRouter {
    private final Map<String, Site> exact = new HashMap<>();
    private final Map<String, Site> wildcard = new HashMap<>();

    public SiteRouter(List<Site> sites) {
        for (Site site : sites) {
            for (String host : site.config().hosts()) {
                String name = host.toLowerCase(Locale.ROOT);
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(2), site);
                } else {
                    exact.putIfAbsent(name, site);
                }
            }
        }
    }

    /** Returns the site for a lower-case host name without port, or null when no site names it. */
    Site route(String hostName) {
        Site site = exact.get(hostName);
        if (site != null) {
            return site;
        }
        int dot = hostName.indexOf('.');
        return dot > 0 ? wildcard.get(hostName.substring(dot + 1)) : null;
    }
}
