package io.telltale.core.dns;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network written in CIDR notation, such as {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * <p>Host bits below the prefix are cleared, so {@code 10.1.2.3/8} is the network {@code 10.0.0.0/8}.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code ADDRESS/PREFIX} or a bare address (a single-host network). */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw invalid(text);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw invalid(text);
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** Returns the single-host network of an address ({@code /32} or {@code /128}). */
    public static Cidr of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new Cidr(bytes, bytes.length * 8);
    }

    /** Returns whether the address is inside this network; addresses of the other family never are. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int bitMask = 0xff << (8 - rest) & 0xff;
        return (bytes[full] & bitMask) == (network[full] & 0xff);
    }

    /** Returns the network address. */
    public InetAddress network() {
        try {
            return InetAddress.getByAddress(network.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the number of leading bits that identify the network. */
    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** Returns the canonical text, e.g. {@code 10.0.0.0/8} or {@code fc00::/7}. */
    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefixLength;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("cidr: " + text
                + " (expected: an IPv4 or IPv6 address with an optional prefix length, e.g. 10.0.0.0/8 or fc00::/7)");
    }
}
