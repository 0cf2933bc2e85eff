/**
 * The lab's broken origins: small loopback servers each failing in one real way (refused port, full
 * accept queue, silence, early close, garbage status line, broken chunking, huge headers, reset mid-body,
 * 5xx; an HTTP/2 origin that resets streams, sends GOAWAY or refuses streams) and a network namespace in
 * which a loopback-range address is unreachable, shared by {@code telltale lab} and the integration tests so
 * that what the lab shows is what the tests prove.
 */
package io.telltale.server.lab.origin;
