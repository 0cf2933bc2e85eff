package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * How origin names are resolved.
 *
 * @param resolvers recursive resolvers as {@code IP} or {@code IP:port} literals, asked in order
 * @param queryTimeout the time one query to one resolver may take
 * @param attempts how many times each resolver is tried
 * @param minTtl the floor applied to answer TTLs
 * @param maxTtl the ceiling applied to answer TTLs
 * @param staleWindow how long after expiry an answer may still be served when every resolver fails
 *     (RFC 8767); 0 turns serve-stale off
 * @param cacheSize the most names kept in the DNS cache
 * @param authoritativePort the port used to ask authoritative servers during delegation diagnosis
 * @param diagnosisBudget the time the delegation diagnosis may take
 * @param diagnosisInterval the least time between two diagnoses of one name
 * @param resolutionDelay how long an answer with addresses of one family (A or AAAA) waits for the other
 *     family's query before it is used alone (RFC 8305 section 3, 50 ms recommended); 0 does not wait
 */
public record DnsConfig(
        List<String> resolvers,
        @Default("2s") Duration queryTimeout,
        @Default("2") int attempts,
        @Default("0s") Duration minTtl,
        @Default("1d") Duration maxTtl,
        @Default("1h") Duration staleWindow,
        @Default("10000") int cacheSize,
        @Default("53") int authoritativePort,
        @Default("2s") Duration diagnosisBudget,
        @Default("60s") Duration diagnosisInterval,
        @Default("50ms") Duration resolutionDelay) {
}
