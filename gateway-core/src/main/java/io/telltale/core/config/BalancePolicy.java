package io.telltale.core.config;

/** How a site's origin group chooses the origin a request goes to first. */
public enum BalancePolicy {
    /** The origins in the order listed: the first while it works, the next when it fails (CloudFront origin groups). */
    FAILOVER,
    /** Each origin in turn, as often as its weight says (smooth weighted round robin, as nginx). */
    ROUND_ROBIN,
    /** Of two origins picked at random by weight, the one with fewer requests in flight per weight (Envoy). */
    LEAST_REQUEST,
    /** The origin a key (the URL, a header or a cookie) hashes to, by weighted rendezvous hashing. */
    HASH
}
