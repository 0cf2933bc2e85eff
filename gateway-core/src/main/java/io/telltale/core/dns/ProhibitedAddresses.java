package io.telltale.core.dns;

import io.telltale.core.config.Cidr;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an origin address lies in a range the gateway must not connect to (loopback, private,
 * CGNAT, link-local and cloud metadata, unique-local, unspecified, multicast), directly or as the IPv4 address
 * an IPv6 address embeds ({@link EmbeddedIpv4}), unless a site allows it.
 *
 * <p>This is what keeps the gateway from being an open door into its own network: a public name that
 * resolves to {@code 169.254.169.254} or {@code 10.0.0.5} is refused at connect time.
 */
public final class ProhibitedAddresses {
    /** One prohibited range with the name shown in evidence. */
    public record Range(Cidr cidr, String name) {
    }

    private static final List<Range> RANGES = List.of(
            range("0.0.0.0/8", "unspecified (\"this network\", RFC 1122)"),
            range("127.0.0.0/8", "loopback (RFC 1122)"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("100.64.0.0/10", "shared address space (CGNAT, RFC 6598)"),
            range("169.254.169.254/32", "cloud instance metadata service (link-local)"),
            range("169.254.0.0/16", "link-local (RFC 3927)"),
            range("224.0.0.0/4", "multicast (RFC 5771)"),
            range("255.255.255.255/32", "limited broadcast (RFC 919)"),
            range("::/128", "unspecified (RFC 4291)"),
            range("::1/128", "loopback (RFC 4291)"),
            range("fd00:ec2::254/128", "cloud instance metadata service (unique-local)"),
            range("fc00::/7", "unique-local (RFC 4193)"),
            range("fe80::/10", "link-local (RFC 4291)"),
            range("ff00::/8", "multicast (RFC 4291)"));

    private final List<Cidr> allowed;

    private ProhibitedAddresses(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Returns the rules for a site that allows these networks although they are otherwise prohibited. */
    public static ProhibitedAddresses allowing(List<Cidr> allowedNetworks) {
        return new ProhibitedAddresses(allowedNetworks);
    }

    /** Returns the rules for a site's {@code allowedOriginNetworks} as written in its config. */
    public static ProhibitedAddresses allowingCidrs(List<String> allowedNetworks) {
        return new ProhibitedAddresses(allowedNetworks == null ? List.of()
                : allowedNetworks.stream().map(Cidr::parse).toList());
    }

    /** Returns the prohibited ranges in the order they are checked, most specific first. */
    public static List<Range> ranges() {
        return RANGES;
    }

    /** Returns the IPv6 ranges that carry an IPv4 address, whose embedded address is checked as well. */
    public static List<Range> translationRanges() {
        return EmbeddedIpv4.SCHEMES;
    }

    /**
     * Returns the prohibited range the address is in, or empty when it is public or explicitly allowed. An IPv6
     * address that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is prohibited when the IPv4
     * address is, unless either one is allowed.
     */
    public Optional<Range> prohibitedRange(InetAddress address) {
        if (isAllowed(address)) {
            return Optional.empty();
        }
        Optional<Range> direct = listedRange(address);
        if (direct.isPresent()) {
            return direct;
        }
        for (EmbeddedIpv4 embedded : EmbeddedIpv4.in(address)) {
            Optional<Range> inner = isAllowed(embedded.ipv4()) ? Optional.empty() : listedRange(embedded.ipv4());
            if (inner.isPresent()) {
                return Optional.of(new Range(embedded.scheme().cidr(), inner.get().name() + " address "
                        + embedded.ipv4().getHostAddress() + ", embedded by " + embedded.scheme().name()));
            }
        }
        return Optional.empty();
    }

    private boolean isAllowed(InetAddress address) {
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Range> listedRange(InetAddress address) {
        for (Range range : RANGES) {
            if (range.cidr().contains(address)) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /** Returns the {@code OriginIpProhibited} failure when the address is prohibited for this origin host. */
    public Optional<Failure> check(String host, InetAddress address) {
        return prohibitedRange(address).map(range -> failure(host, address, range));
    }

    /** Returns the {@code OriginIpProhibited} failure for an address found in a prohibited range. */
    public Failure failure(String host, InetAddress address, Range range) {
        String ip = address.getHostAddress();
        String hostCidr = Cidr.of(address).toString();
        Evidence evidence = Evidence.builder()
                .put("host", host)
                .put("address", ip)
                .put("range", range.name())
                .put("rangeCidr", range.cidr().toString())
                .put("allowedOriginNetworks", allowed.stream().map(Cidr::toString).toList())
                .put("allowToFix", hostCidr)
                .build();
        String detail = "The origin " + host + " resolved to " + ip + ", which is in the " + range.name()
                + " range " + range.cidr() + "; the gateway does not connect to such addresses unless the site allows them.";
        List<String> remediation = List.of(
                "If " + host + " should resolve to a public address, fix its DNS records: dig " + host + " A +short",
                "If the origin really is on this network, add " + hostCidr + " (or " + range.cidr()
                        + ") to the site's allowedOriginNetworks.");
        return new Failure(FailureCode.ORIGIN_IP_PROHIBITED, null, null, detail, evidence, remediation);
    }

    private static Range range(String cidr, String name) {
        return new Range(Cidr.parse(cidr), name);
    }
}
