package io.telltale.core.dns;

import io.netty.util.NetUtil;
import io.telltale.core.failure.Evidence;
import java.net.InetAddress;
import java.util.List;

/**
 * What the A and the AAAA query of one name each found: addresses (IPv6 written compressed, RFC 5952), no record,
 * or how the query failed, as the evidence of a resolution and of a DNS failure.
 *
 * @param host the name asked for
 * @param a what the A query found
 * @param aaaa what the AAAA query found
 */
public record AddressFamilies(String host, Family a, Family aaaa) {

    /**
     * What one address family's query found.
     *
     * @param type {@code A} or {@code AAAA}
     * @param addresses the addresses found, empty when none
     * @param failure how the query failed, or null when it was answered (with records or with none)
     */
    public record Family(String type, List<InetAddress> addresses, String failure) {
        public Family {
            addresses = List.copyOf(addresses);
        }

        /** Returns the family's query outcome in a few words: {@code AAAA: ::1}, {@code A: no record}, ... */
        public String line() {
            if (failure != null) {
                return type + ": failed, " + failure;
            }
            if (addresses.isEmpty()) {
                return type + ": no record";
            }
            return type + ": " + String.join(", ", addresses.stream().map(NetUtil::toAddressString).toList());
        }

        private String part() {
            if (addresses.isEmpty()) {
                return "no " + type + " record";
            }
            return addresses.size() + " " + type + " record" + (addresses.size() == 1 ? "" : "s");
        }
    }

    /** Returns whether one family's query failed while the other's was answered. */
    public boolean partial() {
        return (a.failure() == null) != (aaaa.failure() == null);
    }

    /** Returns each family's outcome, A first. */
    public List<String> lines() {
        return List.of(a.line(), aaaa.line());
    }

    /** Returns the address-family facts in one sentence: {@code x has 1 A record and no AAAA record: IPv4 only}. */
    public String sentence() {
        if (a.failure() != null && aaaa.failure() != null) {
            return host + ": its A query failed (" + a.failure() + ") and its AAAA query failed (" + aaaa.failure() + ")";
        }
        if (a.failure() != null || aaaa.failure() != null) {
            Family answered = a.failure() == null ? a : aaaa;
            Family failed = a.failure() == null ? aaaa : a;
            return host + " has " + answered.part() + "; its " + failed.type() + " query failed (" + failed.failure()
                    + "), so whether it has " + (failed == a ? "IPv4" : "IPv6") + " addresses is unknown";
        }
        if (!a.addresses().isEmpty() && !aaaa.addresses().isEmpty()) {
            return host + " has " + a.part() + " and " + aaaa.part();
        }
        if (!a.addresses().isEmpty()) {
            return host + " has " + a.part() + " and no AAAA record: IPv4 only";
        }
        if (!aaaa.addresses().isEmpty()) {
            return host + " has " + aaaa.part() + " and no A record: IPv6 only";
        }
        return host + " has no A record and no AAAA record";
    }

    /** Returns the facts as evidence: {@code addressQueries} (each family) and {@code addressFamilies} (the sentence). */
    public Evidence evidence() {
        return Evidence.builder().put("addressQueries", lines()).put("addressFamilies", sentence()).build();
    }
}
