package io.telltale.core.config;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What individual config fields must hold, where their type alone does not say: integer ranges and the words used
 * when a required field is missing.
 */
final class FieldRules {
    /** A range an integer field must fall in, and how it is described in messages. */
    record IntegerRule(String expected, LongPredicate accepts) {
    }

    private static final IntegerRule ANY_INT =
            new IntegerRule("an integer", v -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE);
    private static final IntegerRule ANY_LONG = new IntegerRule("an integer", v -> true);
    private static final IntegerRule LISTENER_PORT =
            new IntegerRule(PortRules.LISTENER_PORT_EXPECTED, PortRules::isListenerPort);
    private static final IntegerRule ORIGIN_PORT =
            new IntegerRule(PortRules.ORIGIN_PORT_EXPECTED, PortRules::isAllowedOriginPort);

    private static final Map<String, IntegerRule> INTEGER_RULES = Map.ofEntries(
            Map.entry("ServerConfig.httpPort", LISTENER_PORT),
            Map.entry("ServerConfig.httpsPort", LISTENER_PORT),
            Map.entry("ServerConfig.ioThreads", new IntegerRule("an integer 0-1024", v -> v >= 0 && v <= 1024)),
            Map.entry("AdminConfig.port", LISTENER_PORT),
            Map.entry("DnsConfig.attempts", new IntegerRule("an integer 1-10", v -> v >= 1 && v <= 10)),
            Map.entry("DnsConfig.cacheSize", atLeastOne()),
            Map.entry("DnsConfig.authoritativePort", new IntegerRule("an integer 1-65535", v -> v >= 1 && v <= 65535)),
            Map.entry("OriginConfig.httpPort", ORIGIN_PORT),
            Map.entry("OriginConfig.httpsPort", ORIGIN_PORT),
            Map.entry("OriginConfig.maxConnections", atLeastOne()),
            Map.entry("OriginConfig.connectAttempts", new IntegerRule("an integer 1-3", v -> v >= 1 && v <= 3)),
            Map.entry("SiteConfig.allowedOriginPorts", ORIGIN_PORT));

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("ServerConfig.bindAddress", ConfigValidator.IP_EXPECTED),
            Map.entry("ServerConfig.defaultCertificateSite", "a site name"),
            Map.entry("ServerConfig.via", "a token such as telltale"),
            Map.entry("AdminConfig.bindAddress", ConfigValidator.IP_EXPECTED),
            Map.entry("AdminConfig.token", "a secret"),
            Map.entry("DnsConfig.resolvers", ResolverAddresses.EXPECTED),
            Map.entry("SiteConfig.name", "a site name"),
            Map.entry("SiteConfig.hosts", "a DNS name or *. wildcard"),
            Map.entry("SiteConfig.debugToken", "a secret"),
            Map.entry("SiteConfig.trustedNetworks", Cidr.EXPECTED),
            Map.entry("SiteConfig.allowedOriginNetworks", Cidr.EXPECTED),
            Map.entry("SiteCacheConfig.queryParameters", "a query parameter name"),
            Map.entry("SiteCacheConfig.keyHeaders", "a header name"),
            Map.entry("SiteCacheConfig.targetedField", SiteValidator.TARGETED_FIELD_EXPECTED),
            Map.entry("OriginConfig.host", "a DNS name or IP literal"),
            Map.entry("OriginConfig.caBundle", "a PEM file of trusted roots"),
            Map.entry("OriginConfig.minTlsVersion", "TLSv1.2 or TLSv1.3"),
            Map.entry("OriginConfig.maxTlsVersion", "TLSv1.2 or TLSv1.3"),
            Map.entry("OriginConfig.ciphers", "a cipher suite name"),
            Map.entry("EdgeRule.name", "a rule name"),
            Map.entry("EdgeRule.header", "a header name"),
            Map.entry("EdgeRule.value", "a header value"),
            Map.entry("SiteTlsConfig.certificate", "a PEM file holding the certificate chain"),
            Map.entry("SiteTlsConfig.key", "a PEM file holding the private key"));

    private FieldRules() {
    }

    /** Returns the range an integer field (or each element of an integer list) must fall in. */
    static IntegerRule integerRule(RecordComponent component, Class<?> type) {
        IntegerRule rule = INTEGER_RULES.get(key(component));
        if (rule != null) {
            return rule;
        }
        return type == long.class || type == Long.class ? ANY_LONG : ANY_INT;
    }

    /** Returns how a string field (or each element of a string list) is described, or null for just "a string". */
    static String description(RecordComponent component) {
        return DESCRIPTIONS.get(key(component));
    }

    /** Returns whether a string field (or each element of a string list) is kept in lower case, as host names are. */
    static boolean isLowerCased(RecordComponent component) {
        return key(component).equals("SiteConfig.hosts");
    }

    private static IntegerRule atLeastOne() {
        return new IntegerRule("an integer 1 or above", v -> v >= 1 && v <= Integer.MAX_VALUE);
    }

    private static String key(RecordComponent component) {
        return component.getDeclaringRecord().getSimpleName() + "." + component.getName();
    }
}
