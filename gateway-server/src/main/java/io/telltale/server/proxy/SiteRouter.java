package io.telltale.server.proxy;

import io.telltale.core.http.HostNames;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the site for a request's host name: exact names first, then {@code *.example.com} wildcards,
 * which match exactly one label as in TLS certificates, then the default site ({@code hosts: ["*"]}, as
 * nginx's {@code default_server}), the only one that answers a Host that is an IP address.
 */
public final class SiteRouter {
    private final Map<String, Site> exact = new HashMap<>();
    private final Map<String, Site> wildcard = new HashMap<>();
    private final Site fallback;
    private final Map<String, Site> byName = new HashMap<>();
    private final List<Site> sites;

    /** Creates the router of these sites, earlier sites winning a host name that two of them list. */
    public SiteRouter(List<Site> sites) {
        this.sites = List.copyOf(sites);
        Site any = null;
        for (Site site : sites) {
            byName.put(site.name(), site);
            for (String host : site.config().hosts()) {
                String name = host.toLowerCase(Locale.ROOT);
                if (name.equals("*")) {
                    any = any == null ? site : any;
                } else if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(2), site);
                } else {
                    exact.putIfAbsent(name, site);
                }
            }
        }
        fallback = any;
    }

    /** Returns every configured site, in the config's order. */
    public List<Site> sites() {
        return sites;
    }

    /** Returns the site for a lower-case host name without port, or null when no site names it. */
    Site route(String hostName) {
        if (HostNames.isAddress(hostName)) {
            return fallback;
        }
        Site site = exact.get(hostName);
        if (site != null) {
            return site;
        }
        int dot = hostName.indexOf('.');
        Site matched = dot > 0 ? wildcard.get(hostName.substring(dot + 1)) : null;
        return matched != null ? matched : fallback;
    }

    /** Returns the site with this name, or null when none has it. */
    public Site site(String name) {
        return byName.get(name);
    }
}
