package io.telltale.core.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 address an IPv6 address carries inside it, where a packet to the IPv6 address ends up at that IPv4
 * address: IPv4-mapped and IPv4-compatible addresses, NAT64 (RFC 6052, RFC 8215), 6to4 (RFC 3056) and Teredo
 * (RFC 4380). A name that resolves to {@code 64:ff9b::a9fe:a9fe} reaches the metadata address as surely as one
 * that resolves to {@code 169.254.169.254}.
 *
 * @param ipv4 the embedded IPv4 address
 * @param scheme the translation range it was found in, with its name
 */
record EmbeddedIpv4(Inet4Address ipv4, InternalNetworks.Range scheme) {
    private static final InternalNetworks.Range MAPPED = scheme("::ffff:0:0/96", "IPv4-mapped (RFC 4291)");
    private static final InternalNetworks.Range COMPATIBLE = scheme("::/96", "IPv4-compatible (RFC 4291)");
    private static final InternalNetworks.Range NAT64 = scheme("64:ff9b::/96", "NAT64 well-known prefix (RFC 6052)");
    private static final InternalNetworks.Range NAT64_LOCAL = scheme("64:ff9b:1::/48", "NAT64 local-use prefix (RFC 8215)");
    private static final InternalNetworks.Range SIX_TO_FOUR = scheme("2002::/16", "6to4 (RFC 3056)");
    private static final InternalNetworks.Range TEREDO = scheme("2001::/32", "Teredo (RFC 4380)");

    /** The translation ranges, in the order they are looked at. */
    static final List<InternalNetworks.Range> SCHEMES = List.of(MAPPED, COMPATIBLE, NAT64, NAT64_LOCAL, SIX_TO_FOUR,
            TEREDO);

    /**
     * Returns every IPv4 address the address may lead to: none for an IPv4 address or an IPv6 address outside
     * the translation ranges, one for most, and one per RFC 6052 prefix length (96, 64, 56, 48) in the NAT64
     * local-use range, whose operator picks the length.
     */
    static List<EmbeddedIpv4> in(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return List.of();
        }
        byte[] b = address.getAddress();
        List<EmbeddedIpv4> found = new ArrayList<>(1);
        if (MAPPED.cidr().contains(address)) {
            found.add(of(MAPPED, b[12], b[13], b[14], b[15]));
        } else if (COMPATIBLE.cidr().contains(address)) {
            found.add(of(COMPATIBLE, b[12], b[13], b[14], b[15]));
        } else if (NAT64.cidr().contains(address)) {
            found.add(of(NAT64, b[12], b[13], b[14], b[15]));
        } else if (NAT64_LOCAL.cidr().contains(address)) {
            // RFC 6052 §2.2: the IPv4 bits skip bits 64-71 (octet 8) at every prefix length below 96. A placement
            // that reads 0.x.x.x is the zero padding of a longer prefix, not an address anyone translates to.
            addUnlessZero(found, of(NAT64_LOCAL, b[12], b[13], b[14], b[15]));
            addUnlessZero(found, of(NAT64_LOCAL, b[9], b[10], b[11], b[12]));
            addUnlessZero(found, of(NAT64_LOCAL, b[7], b[9], b[10], b[11]));
            addUnlessZero(found, of(NAT64_LOCAL, b[6], b[7], b[9], b[10]));
        } else if (SIX_TO_FOUR.cidr().contains(address)) {
            found.add(of(SIX_TO_FOUR, b[2], b[3], b[4], b[5]));
        } else if (TEREDO.cidr().contains(address)) {
            // The Teredo client's own address, stored inverted (RFC 4380 §4).
            found.add(of(TEREDO, (byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
        }
        return found;
    }

    private static void addUnlessZero(List<EmbeddedIpv4> found, EmbeddedIpv4 candidate) {
        if (candidate.ipv4().getAddress()[0] != 0) {
            found.add(candidate);
        }
    }

    private static EmbeddedIpv4 of(InternalNetworks.Range scheme, byte a, byte b, byte c, byte d) {
        try {
            return new EmbeddedIpv4((Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d}), scheme);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static InternalNetworks.Range scheme(String cidr, String name) {
        return new InternalNetworks.Range(Cidr.parse(cidr), name);
    }
}
