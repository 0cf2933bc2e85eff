package io.telltale.core.dns;

import java.util.List;

/**
 * The result of asking a list of servers: the conclusive attempt if any, and every attempt made.
 *
 * @param answer the attempt that answered NOERROR or NXDOMAIN, or null when every server failed
 * @param attempts every attempt in the order made
 */
record DnsOutcome(DnsAttempt answer, List<DnsAttempt> attempts) {
    DnsOutcome {
        attempts = List.copyOf(attempts);
    }

    /** Returns the attempt that best explains a failure: the first one that got an rcode, else the last. */
    DnsAttempt mostTelling() {
        for (DnsAttempt a : attempts) {
            if (a.reply() != null) {
                return a;
            }
        }
        return attempts.get(attempts.size() - 1);
    }
}
