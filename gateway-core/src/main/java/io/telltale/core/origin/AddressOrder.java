package io.telltale.core.origin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Orders a name's addresses for connecting as RFC 8305 §4 does: IPv6 first, then the families alternating. */
final class AddressOrder {
    private AddressOrder() {
    }

    /** Returns the addresses interleaved by family, IPv6 first, each family keeping the resolver's order. */
    static List<InetAddress> interleave(List<InetAddress> addresses) {
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> v4 = new ArrayList<>();
        for (InetAddress a : addresses) {
            (a instanceof Inet6Address ? v6 : v4).add(a);
        }
        if (v6.isEmpty() || v4.isEmpty()) {
            return addresses;
        }
        List<InetAddress> ordered = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(v6.size(), v4.size()); i++) {
            if (i < v6.size()) {
                ordered.add(v6.get(i));
            }
            if (i < v4.size()) {
                ordered.add(v4.get(i));
            }
        }
        return ordered;
    }
}
