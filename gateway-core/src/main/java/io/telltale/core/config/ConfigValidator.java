package io.telltale.core.config;

import io.telltale.core.http.HostNames;
import java.time.Duration;
import java.util.List;

/** Checks a bound configuration for what its types alone cannot say: names, addresses, ports and consistency. */
public final class ConfigValidator {
    static final String IP_EXPECTED = "an IP literal such as 127.0.0.1 or ::1";

    private ConfigValidator() {
    }

    /** Validates a configuration, throwing {@link ConfigException} with every problem found. */
    public static void validate(GatewayConfig config) {
        Problems problems = new Problems();
        checkServer(config, problems);
        checkAdmin(config.admin(), config.server(), problems);
        checkLimits(config.limits(), problems);
        checkDns(config, problems);
        if (config.cache() != null && config.cache().maxSize().bytes() <= 0) {
            problems.add("cache.maxSize", DataSizes.format(config.cache().maxSize()), "a size above 0");
        }
        CacheDiskConfig disk = config.cache() == null ? null : config.cache().disk();
        if (disk != null) {
            if (disk.path() == null || disk.path().isBlank()) {
                problems.missing("cache.disk.path", "a directory such as /var/cache/telltale");
            }
            if (disk.maxSize().bytes() <= 0) {
                problems.add("cache.disk.maxSize", DataSizes.format(disk.maxSize()), "a size above 0");
            }
        }
        SiteValidator.check(orEmpty(config.sites()), problems);
        ObserveValidator.check(config.observe(), problems);
        if (config.cluster() != null) {
            ClusterValidator.check(config.cluster(), problems);
        }
        problems.throwIfAny();
    }

    private static void checkServer(GatewayConfig config, Problems problems) {
        ServerConfig server = config.server();
        checkIpLiteral(server.bindAddress(), "server.bindAddress", problems);
        checkHttp2(server.http2(), problems);
        if (!HeaderRules.isToken(server.via())) {
            problems.add("server.via", Problems.shorten(server.via()), "a token such as telltale");
        }
        if (server.httpsPort() != null && server.httpsPort() != 0 && server.httpsPort() == server.httpPort()) {
            problems.add("server.httpsPort", server.httpsPort().toString(), "a port other than server.httpPort");
        }
        String defaultSite = server.defaultCertificateSite();
        if (defaultSite != null && orEmpty(config.sites()).stream()
                .noneMatch(site -> defaultSite.equals(site.name()) && site.tls() != null)) {
            problems.add("server.defaultCertificateSite", Problems.shorten(defaultSite),
                    "the name of a site that has tls");
        }
        if (server.httpsPort() != null && orEmpty(config.sites()).stream().noneMatch(site -> site.tls() != null)) {
            problems.add("server.httpsPort", server.httpsPort().toString(),
                    "no HTTPS port, or at least one site with tls");
        }
    }

    private static void checkAdmin(AdminConfig admin, ServerConfig server, Problems problems) {
        checkIpLiteral(admin.bindAddress(), "admin.bindAddress", problems);
        if (admin.enabled() && admin.port() != 0 && mayOverlap(admin.bindAddress(), server.bindAddress())
                && (admin.port() == server.httpPort() || Integer.valueOf(admin.port()).equals(server.httpsPort()))) {
            problems.add("admin.port", Integer.toString(admin.port()), "a port no edge listener uses");
        }
        checkSecret(admin.token(), "admin.token", problems);
    }

    private static boolean mayOverlap(String address, String other) {
        return address.equals(other) || isWildcard(address) || isWildcard(other);
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::");
    }

    private static void checkLimits(LimitsConfig limits, Problems problems) {
        positive(limits.maxRequestLine(), "limits.maxRequestLine", problems);
        positive(limits.maxHeaderSize(), "limits.maxHeaderSize", problems);
        positive(limits.maxBodySize(), "limits.maxBodySize", problems);
        positive(limits.maxResponseHeaderSize(), "limits.maxResponseHeaderSize", problems);
        positive(limits.headerTimeout(), "limits.headerTimeout", problems);
        positive(limits.keepAliveTimeout(), "limits.keepAliveTimeout", problems);
        positive(limits.bodyTimeout(), "limits.bodyTimeout", problems);
        positive(limits.minBodyRate(), "limits.minBodyRate", problems);
        if (limits.maxHeaderFields() < 1) {
            problems.add("limits.maxHeaderFields", Integer.toString(limits.maxHeaderFields()),
                    "a number of header fields above 0, such as 100");
        }
    }

    private static void checkHttp2(Http2Config http2, Problems problems) {
        if (http2 == null) {
            return;
        }
        atLeastOne(http2.maxConcurrentStreams(), "server.http2.maxConcurrentStreams", problems);
        positive(http2.maxHeaderListSize(), "server.http2.maxHeaderListSize", problems);
        if (http2.floodWindow().toSeconds() < 1) {
            problems.add("server.http2.floodWindow", Durations.format(http2.floodWindow()),
                    "a duration of at least 1s, such as 30s");
        }
        atLeastOne(http2.maxResetsPerWindow(), "server.http2.maxResetsPerWindow", problems);
        atLeastOne(http2.maxControlFramesPerWindow(), "server.http2.maxControlFramesPerWindow", problems);
        atLeastOne(http2.maxEmptyDataFrames(), "server.http2.maxEmptyDataFrames", problems);
        atLeastOne(http2.maxSmallContinuationFrames(), "server.http2.maxSmallContinuationFrames", problems);
    }

    private static void atLeastOne(int value, String path, Problems problems) {
        if (value < 1) {
            problems.add(path, Integer.toString(value), "a whole number of at least 1");
        }
    }

    private static void checkDns(GatewayConfig config, Problems problems) {
        DnsConfig dns = config.dns();
        List<String> resolvers = orEmpty(dns.resolvers());
        for (int i = 0; i < resolvers.size(); i++) {
            try {
                ResolverAddresses.parse(resolvers.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(Problems.element("dns.resolvers", i), Problems.shorten(resolvers.get(i)),
                        ResolverAddresses.EXPECTED);
            }
        }
        if (resolvers.isEmpty()) {
            String named = SiteValidator.firstNamedOrigin(orEmpty(config.sites()));
            if (named != null) {
                problems.add("dns.resolvers", "[]", "at least one resolver, since " + named + " is a DNS name");
            }
        }
        positive(dns.queryTimeout(), "dns.queryTimeout", problems);
        positive(dns.diagnosisBudget(), "dns.diagnosisBudget", problems);
        atMost(dns.minTtl(), "dns.minTtl", dns.maxTtl(), "maxTtl", problems);
        atMost(dns.resolutionDelay(), "dns.resolutionDelay", dns.queryTimeout(), "queryTimeout", problems);
    }

    private static void checkIpLiteral(String address, String path, Problems problems) {
        if (!HostNames.isIpLiteral(address)) {
            problems.add(path, Problems.shorten(address), IP_EXPECTED);
        }
    }

    /** Reports a secret that cannot travel in a header; the secret itself is not repeated in the message. */
    static void checkSecret(String secret, String path, Problems problems) {
        if (secret != null && (secret.isEmpty() || !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            problems.add(path, "(not shown)", "a secret of visible ASCII characters without spaces");
        }
    }

    /** Reports a text that is empty or only spaces where a file name or similar is needed. */
    static void notBlank(String text, String path, String expected, Problems problems) {
        if (text.isBlank()) {
            problems.add(path, '"' + text + '"', expected);
        }
    }

    /** Reports a duration that is not above zero, as every timeout must be. */
    static void positive(Duration duration, String path, Problems problems) {
        if (duration.isZero() || duration.isNegative()) {
            problems.add(path, Durations.format(duration), "a duration above 0, such as 250ms or 10s");
        }
    }

    /** Reports a duration that exceeds its upper bound, named as a sibling field. */
    static void atMost(Duration duration, String path, Duration bound, String boundName, Problems problems) {
        if (duration.compareTo(bound) > 0) {
            problems.add(path, Durations.format(duration), "at most " + boundName + " " + Durations.format(bound));
        }
    }

    private static void positive(DataSize size, String path, Problems problems) {
        if (size.bytes() <= 0) {
            problems.add(path, DataSizes.format(size), "a size above 0, such as 64KiB");
        }
    }

    /** Returns the list, or an empty one for records built in code with a null list. */
    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
