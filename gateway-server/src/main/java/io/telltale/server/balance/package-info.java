/**
 * Origin groups: which of a site's origins a request tries first and in what order it moves on (failover,
 * weighted round robin, least request by two random choices, rendezvous hashing), and how many requests each
 * origin has in flight.
 */
package io.telltale.server.balance;
