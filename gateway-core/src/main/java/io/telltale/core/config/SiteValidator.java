package io.telltale.core.config;

import io.telltale.core.http.HostNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks each site: its name, hosts, networks, trust policy, certificate, cache policy, rules and origins. */
final class SiteValidator {
    /** What a site's targeted cache-control field must be. */
    static final String TARGETED_FIELD_EXPECTED = "a header name other than Cache-Control, such as Telltale-Cache-Control";

    private static final Pattern SITE_NAME = Pattern.compile("[a-z0-9-]+");
    /** An upgrade protocol (RFC 9110 §7.8): a token, optionally followed by a slash and a version token. */
    private static final Pattern UPGRADE_PROTOCOL = Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]+(/[!#$%&'*+.^_`|~0-9A-Za-z-]+)?");

    private SiteValidator() {
    }

    /** Checks every site, and that no two sites share a name or a host. */
    static void check(List<SiteConfig> sites, Problems problems) {
        if (sites.isEmpty()) {
            problems.add("sites", "[]", "at least one site");
        }
        Map<String, String> namePaths = new HashMap<>();
        Map<String, String> hostPaths = new HashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteConfig site = sites.get(i);
            String path = Problems.element("sites", i);
            checkName(site.name(), path, namePaths, problems);
            checkHosts(ConfigValidator.orEmpty(site.hosts()), path, hostPaths, problems);
            checkTrust(site, path, problems);
            checkNetworks(site.allowedOriginNetworks(), Problems.child(path, "allowedOriginNetworks"), problems);
            checkCache(site.cache(), Problems.child(path, "cache"), problems);
            EdgeRuleValidator.check(site.rules(), Problems.child(path, "rules"), problems);
            checkTls(site.tls(), Problems.child(path, "tls"), problems);
            checkUpgrades(site.upgrades(), Problems.child(path, "upgrades"), problems);
            checkOrigins(site, path, problems);
        }
    }

    /** Returns the path of the first origin host that is a DNS name, or null when all origins are IP literals. */
    static String firstNamedOrigin(List<SiteConfig> sites) {
        for (int i = 0; i < sites.size(); i++) {
            List<OriginConfig> origins = ConfigValidator.orEmpty(sites.get(i).origins());
            for (int j = 0; j < origins.size(); j++) {
                if (HostNames.isDnsName(origins.get(j).host())) {
                    return Problems.child(Problems.element(Problems.child(Problems.element("sites", i), "origins"), j),
                            "host");
                }
            }
        }
        return null;
    }

    private static void checkName(String name, String path, Map<String, String> namePaths, Problems problems) {
        String namePath = Problems.child(path, "name");
        if (!SITE_NAME.matcher(name).matches()) {
            problems.add(namePath, Problems.shorten(name), "a name of lower-case letters, digits and hyphens");
        }
        String earlier = namePaths.putIfAbsent(name, path);
        if (earlier != null) {
            problems.add(namePath, Problems.shorten(name), "a name no other site has; " + earlier + " has it");
        }
    }

    private static void checkHosts(List<String> hosts, String path, Map<String, String> hostPaths,
            Problems problems) {
        String hostsPath = Problems.child(path, "hosts");
        if (hosts.isEmpty()) {
            problems.add(hostsPath, "[]", "at least one host name");
        }
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            String hostPath = Problems.element(hostsPath, i);
            if (!"*".equals(host) && !HostNames.isHostPattern(host)) {
                problems.add(hostPath, Problems.shorten(host),
                        "a DNS name such as www.example.com, a wildcard such as *.example.com, or * for the default site");
                continue;
            }
            String earlier = hostPaths.putIfAbsent(host, hostPath);
            if (earlier != null) {
                problems.add(hostPath, host, "a host no other site claims; " + earlier + " claims it");
            }
        }
    }

    private static void checkTrust(SiteConfig site, String path, Problems problems) {
        ConfigValidator.checkSecret(site.debugToken(), Problems.child(path, "debugToken"), problems);
        List<String> trusted = ConfigValidator.orEmpty(site.trustedNetworks());
        checkNetworks(trusted, Problems.child(path, "trustedNetworks"), problems);
        if (site.detail() == DetailPolicy.TRUSTED && site.debugToken() == null && trusted.isEmpty()) {
            problems.add(Problems.child(path, "detail"), "trusted",
                    "a debugToken or non-empty trustedNetworks to say who is trusted");
        }
    }

    private static void checkNetworks(List<String> networks, String path, Problems problems) {
        List<String> listed = ConfigValidator.orEmpty(networks);
        for (int i = 0; i < listed.size(); i++) {
            try {
                Cidr.parse(listed.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(Problems.element(path, i), Problems.shorten(listed.get(i)), e.getMessage());
            }
        }
    }

    /** Returns the networks that parse; the others are reported by {@link #checkNetworks}. */
    private static List<Cidr> parsedNetworks(List<String> networks) {
        List<Cidr> parsed = new ArrayList<>();
        for (String network : ConfigValidator.orEmpty(networks)) {
            try {
                parsed.add(Cidr.parse(network));
            } catch (IllegalArgumentException e) {
                // Reported with its field by checkNetworks.
            }
        }
        return parsed;
    }

    private static void checkCache(SiteCacheConfig cache, String path, Problems problems) {
        if (cache == null) {
            return;
        }
        ConfigValidator.atMost(cache.minTtl(), Problems.child(path, "minTtl"), cache.maxTtl(), "maxTtl", problems);
        boolean ordered = cache.minTtl().compareTo(cache.maxTtl()) <= 0;
        if (ordered && (cache.defaultTtl().compareTo(cache.minTtl()) < 0
                || cache.defaultTtl().compareTo(cache.maxTtl()) > 0)) {
            problems.add(Problems.child(path, "defaultTtl"), Durations.format(cache.defaultTtl()),
                    "between minTtl " + Durations.format(cache.minTtl()) + " and maxTtl "
                            + Durations.format(cache.maxTtl()));
        }
        ConfigValidator.positive(cache.collapseTimeout(), Problems.child(path, "collapseTimeout"), problems);
        ConfigValidator.positive(cache.collapseStall(), Problems.child(path, "collapseStall"), problems);
        ConfigValidator.positive(cache.fillDeadline(), Problems.child(path, "fillDeadline"), problems);
        String targeted = cache.targetedField();
        if (targeted != null && (!HeaderRules.isToken(targeted) || targeted.equalsIgnoreCase("Cache-Control"))) {
            problems.add(Problems.child(path, "targetedField"), Problems.shorten(targeted), TARGETED_FIELD_EXPECTED);
        }
        List<String> keyHeaders = ConfigValidator.orEmpty(cache.keyHeaders());
        for (int i = 0; i < keyHeaders.size(); i++) {
            if (!HeaderRules.isToken(keyHeaders.get(i))) {
                problems.add(Problems.element(Problems.child(path, "keyHeaders"), i),
                        Problems.shorten(keyHeaders.get(i)), "a header name such as Accept-Language");
            }
        }
    }

    private static void checkTls(SiteTlsConfig tls, String path, Problems problems) {
        if (tls == null) {
            return;
        }
        ConfigValidator.notBlank(tls.certificate(), Problems.child(path, "certificate"),
                "a PEM file holding the certificate chain", problems);
        ConfigValidator.notBlank(tls.key(), Problems.child(path, "key"), "a PEM file holding the private key",
                problems);
    }

    private static void checkUpgrades(UpgradeConfig upgrades, String path, Problems problems) {
        List<String> protocols = ConfigValidator.orEmpty(upgrades.protocols());
        for (int i = 0; i < protocols.size(); i++) {
            String protocol = protocols.get(i);
            String protocolPath = Problems.element(Problems.child(path, "protocols"), i);
            String name = protocol.toLowerCase(Locale.ROOT);
            if (name.equals("h2c") || name.equals("h2")) {
                // An HTTP/2 connection behind a tunnel would carry requests this gateway never routes or checks.
                problems.add(protocolPath, protocol, "an upgrade other than h2c or h2, such as websocket");
            } else if (!UPGRADE_PROTOCOL.matcher(protocol).matches()) {
                problems.add(protocolPath, Problems.shorten(protocol), "an upgrade token such as websocket");
            }
        }
        ConfigValidator.positive(upgrades.idleTimeout(), Problems.child(path, "idleTimeout"), problems);
    }

    private static void checkOrigins(SiteConfig site, String path, Problems problems) {
        List<Integer> allowedPorts = ConfigValidator.orEmpty(site.allowedOriginPorts());
        for (int i = 0; i < allowedPorts.size(); i++) {
            if (!PortRules.isAllowedOriginPort(allowedPorts.get(i))) {
                problems.add(Problems.element(Problems.child(path, "allowedOriginPorts"), i),
                        allowedPorts.get(i).toString(), PortRules.ORIGIN_PORT_EXPECTED);
            }
        }
        List<OriginConfig> origins = ConfigValidator.orEmpty(site.origins());
        String originsPath = Problems.child(path, "origins");
        if (origins.isEmpty()) {
            problems.add(originsPath, "[]", "at least one origin");
        }
        List<Cidr> allowedNetworks = parsedNetworks(site.allowedOriginNetworks());
        for (int i = 0; i < origins.size(); i++) {
            OriginValidator.check(origins.get(i), allowedPorts, Problems.element(originsPath, i), problems);
            OriginValidator.checkReachable(origins.get(i), allowedNetworks, Problems.element(originsPath, i), problems);
        }
        OriginGroupValidator.check(site.originGroup(), Problems.child(path, "originGroup"), problems);
    }
}
