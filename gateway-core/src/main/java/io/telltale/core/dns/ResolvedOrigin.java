package io.telltale.core.dns;

import io.telltale.core.failure.Evidence;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The addresses an origin name resolved to, and how.
 *
 * @param host the name that was asked for
 * @param addresses the addresses, in the order to try them
 * @param cnameChain the aliases followed from the name to the address records, empty when none
 * @param ttl how long the answer stays fresh from when it was received
 * @param stale whether this answer had expired and was served because every resolver failed (RFC 8767)
 * @param evidence what the resolver saw (server, timing, cache state), for the timeline and errors
 */
public record ResolvedOrigin(
        String host,
        List<InetAddress> addresses,
        List<String> cnameChain,
        Duration ttl,
        boolean stale,
        Evidence evidence) {

    public ResolvedOrigin {
        addresses = List.copyOf(addresses);
        cnameChain = List.copyOf(cnameChain);
        evidence = evidence == null ? Evidence.empty() : evidence;
    }
}
