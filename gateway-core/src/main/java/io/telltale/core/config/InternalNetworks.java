package io.telltale.core.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The networks an origin address must not be in unless a site allows them: loopback, private, CGNAT,
 * link-local and cloud metadata, unique-local, unspecified, multicast; and the IPv6 addresses that lead to one
 * of them through an embedded IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
 *
 * <p>The config validator reads them to refuse an origin literal that could never be connected to; the
 * connector's guard reads them on every connect.
 */
public final class InternalNetworks {
    /**
     * One internal range with the name shown in evidence.
     *
     * @param cidr the range
     * @param name what it is, with its RFC
     */
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

    private InternalNetworks() {
    }

    /** Returns the internal ranges in the order they are checked, most specific first. */
    public static List<Range> ranges() {
        return RANGES;
    }

    /** Returns the IPv6 ranges that carry an IPv4 address, whose embedded address is checked as well. */
    public static List<Range> translationRanges() {
        return EmbeddedIpv4.SCHEMES;
    }

    /**
     * Returns the internal range the address is in, or empty when it is public or in an allowed network. An IPv6
     * address that embeds an internal IPv4 address is in a range named after both, unless either is allowed.
     */
    public static Optional<Range> rangeOf(InetAddress address, List<Cidr> allowed) {
        if (isAllowed(address, allowed)) {
            return Optional.empty();
        }
        Optional<Range> direct = listedRange(address);
        if (direct.isPresent()) {
            return direct;
        }
        for (EmbeddedIpv4 embedded : EmbeddedIpv4.in(address)) {
            Optional<Range> inner = isAllowed(embedded.ipv4(), allowed) ? Optional.empty() : listedRange(embedded.ipv4());
            if (inner.isPresent()) {
                return Optional.of(new Range(embedded.scheme().cidr(), inner.get().name() + " address "
                        + embedded.ipv4().getHostAddress() + ", embedded by " + embedded.scheme().name()));
            }
        }
        return Optional.empty();
    }

    /** Returns the internal range an IP literal as config writes it is in, as {@link #rangeOf} does. */
    static Optional<Range> literalRangeOf(String literal, List<Cidr> allowed) {
        try {
            return rangeOf(InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal)), allowed);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
    }

    private static boolean isAllowed(InetAddress address, List<Cidr> allowed) {
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

    private static Range range(String cidr, String name) {
        return new Range(Cidr.parse(cidr), name);
    }
}
