package io.telltale.core.tls;

import io.netty.util.NetUtil;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Host name normalisation and certificate name matching (RFC 6125: one left-most wildcard label). */
public final class HostNames {
    private HostNames() {
    }

    /** Returns the name in lower case without a trailing dot. */
    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Returns whether the name is an IPv4 or IPv6 literal (brackets allowed). */
    public static boolean isIpLiteral(String name) {
        String n = unbracket(name);
        return NetUtil.isValidIpV4Address(n) || NetUtil.isValidIpV6Address(n);
    }

    /**
     * Returns whether the certificate covers the host: its IP SANs for an IP literal, else its DNS SANs,
     * else (no DNS SAN at all) its CN, as the JDK's HTTPS check does. A wildcard host ({@code *.a.test}) is
     * covered only by the same wildcard.
     */
    public static boolean covers(X509Certificate certificate, String host) {
        CertificateFacts facts = CertificateFacts.of(certificate);
        if (isIpLiteral(host)) {
            byte[] wanted = NetUtil.createByteArrayFromIpAddressString(unbracket(host));
            return facts.ipAddresses().stream()
                    .anyMatch(ip -> Arrays.equals(wanted, NetUtil.createByteArrayFromIpAddressString(ip)));
        }
        List<String> patterns = facts.dnsNames().isEmpty() && facts.commonName() != null
                ? List.of(facts.commonName()) : facts.dnsNames();
        String wanted = normalize(host);
        return patterns.stream().anyMatch(p -> matches(normalize(p), wanted));
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        if (!pattern.startsWith("*.") || host.startsWith("*.")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
    }

    private static String unbracket(String name) {
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }
}
