/**
 * The on-demand probe of an origin, step by step (DNS, TCP, TLS, HTTP), reporting each step with its evidence.
 */
package io.telltale.core.diagnosis;
