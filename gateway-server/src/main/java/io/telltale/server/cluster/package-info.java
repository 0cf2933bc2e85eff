/**
 * The cluster: the gateways that share one cache. Which nodes there are (a static list or a DNS name re-resolved by
 * its TTL), which node owns a cache key (rendezvous hashing), how nodes prove a request is a peer's (a shared
 * secret), and a purge sent on to every node.
 */
package io.telltale.server.cluster;
