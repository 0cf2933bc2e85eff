package io.telltale.core.config;

import java.time.Duration;
import java.util.List;

/**
 * The gateways that share one cache: each cache key has one owner among them (rendezvous hashing), and a node
 * that does not own a key asks its owner instead of the origin.
 *
 * @param peers every node's edge HTTP address as {@code IP:port}, this node's included; empty when
 *     {@code peerName} lists them
 * @param peerName a DNS name whose A and AAAA records are the nodes (a Kubernetes headless Service), re-resolved
 *     through the gateway's resolvers as its TTL runs out; null when {@code peers} lists them
 * @param peerPort the edge HTTP port of the nodes {@code peerName} resolves to
 * @param self this node's address as the other nodes know it ({@code IP:port}); when left out, the member whose
 *     port is {@code server.httpPort} and whose address is one of this machine's own
 * @param secret the value of the {@code Telltale-Peer} header that proves a request came from a node
 * @param connectTimeout the time a connect to a peer may take before the node goes to the origin itself
 * @param downTime how long a peer that could not be reached is left out of the owners
 * @param refreshInterval the longest time between two resolutions of {@code peerName}
 */
public record ClusterConfig(
        List<String> peers,
        @Optional String peerName,
        @Default("80") int peerPort,
        @Optional String self,
        String secret,
        @Default("1s") Duration connectTimeout,
        @Default("10s") Duration downTime,
        @Default("30s") Duration refreshInterval) {
}
