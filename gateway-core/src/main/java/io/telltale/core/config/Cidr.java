package io.telltale.core.config;

import io.netty.util.NetUtil;
import io.telltale.core.http.HostNames;
import java.net.InetAddress;
import java.util.Arrays;

/** An IPv4 or IPv6 network written {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a one-address network. */
public final class Cidr {
    /** What a network looks like, for error messages. */
    public static final String EXPECTED = "a network such as 10.0.0.0/8 or fd00::/8";

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses a network, throwing {@link IllegalArgumentException} when it is not one or has bits set beyond its
     * prefix (the message then names the network that was probably meant).
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = HostNames.isIpLiteral(address) ? NetUtil.createByteArrayFromIpAddressString(address) : null;
        if (bytes == null) {
            throw new IllegalArgumentException(EXPECTED);
        }
        int length = slash < 0 ? bytes.length * 8 : prefixLength(text.substring(slash + 1), bytes.length * 8);
        Cidr cidr = new Cidr(mask(bytes, length), length);
        if (!Arrays.equals(cidr.network, bytes)) {
            throw new IllegalArgumentException(EXPECTED + "; the address has bits set beyond the prefix, did you mean "
                    + cidr + "?");
        }
        return cidr;
    }

    /** Returns the network of exactly this one address ({@code /32} or {@code /128}). */
    public static Cidr of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return new Cidr(bytes, bytes.length * 8);
    }

    /** Returns whether an address lies in this network; an IPv4 address never lies in an IPv6 network or back. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    /** Returns the prefix length in bits. */
    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr && ((Cidr) other).prefixLength == prefixLength
                && Arrays.equals(((Cidr) other).network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefixLength;
    }

    private static int prefixLength(String text, int bits) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(EXPECTED);
        }
        int length = Integer.parseInt(text);
        if (length > bits) {
            throw new IllegalArgumentException(EXPECTED + "; the prefix is at most " + bits);
        }
        return length;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] = (byte) (address[i] & (0xff00 >> bitsHere));
        }
        return masked;
    }
}
