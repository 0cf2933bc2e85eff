package io.telltale.core.origin;

import io.netty.util.NetUtil;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence of a failed connect about every address the name resolved to: which one was tried and how it
 * failed, which were not tried, and which address families the name has (IPv6 written compressed, RFC 5952).
 */
final class AddressOutcomes {
    private AddressOutcomes() {
    }

    /** Returns the failure with each resolved address's outcome and the name's address families added. */
    static Failure add(Failure failure, ResolvedOrigin resolved, InetAddress tried, String outcome) {
        List<String> lines = new ArrayList<>(resolved.addresses().size());
        for (InetAddress a : resolved.addresses()) {
            lines.add(NetUtil.toAddressString(a) + ": " + (a.equals(tried) ? "tried, " + outcome : "not tried"));
        }
        return failure.withEvidence(Evidence.builder()
                .put("addresses", lines)
                .put("addressFamilies", families(resolved))
                .build());
    }

    /** Returns what the answer says about A and AAAA records, or null for an IP literal origin. */
    static String families(ResolvedOrigin resolved) {
        if (NetUtil.isValidIpV4Address(resolved.host()) || NetUtil.isValidIpV6Address(resolved.host())) {
            return null;
        }
        if (resolved.evidence().get("addressFamilies") instanceof String said) {
            // The resolver knows which family's query failed, where the addresses alone would read as "no record".
            return said;
        }
        long v4 = resolved.addresses().stream().filter(a -> a instanceof Inet4Address).count();
        long v6 = resolved.addresses().stream().filter(a -> a instanceof Inet6Address).count();
        if (v4 > 0 && v6 > 0) {
            return resolved.host() + " has " + plural(v4, "A record") + " and " + plural(v6, "AAAA record");
        }
        if (v4 > 0) {
            return resolved.host() + " has " + plural(v4, "A record") + " and no AAAA record: IPv4 only";
        }
        return resolved.host() + " has " + plural(v6, "AAAA record") + " and no A record: IPv6 only";
    }

    private static String plural(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
