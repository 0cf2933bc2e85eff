/**
 * The lab's TLS fixtures: a throw-away PKI made at start-up (nothing private is ever written to the
 * repository) and small loopback TLS origins each broken in one way, shared by {@code telltale lab} and
 * the integration tests.
 */
package io.telltale.server.lab.tls;
