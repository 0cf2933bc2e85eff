/**
 * The lab's DNS server: a small authoritative server on loopback that serves readable zone files with scripted faults (SERVFAIL with an extended error, REFUSED, dropped queries, lame answers, truncation) and, for the lab's resolver, follows its own delegations to other lab servers.
 */
package io.telltale.server.lab.dns;
