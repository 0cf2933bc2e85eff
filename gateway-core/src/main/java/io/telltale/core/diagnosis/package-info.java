/**
 * The on-demand probe of an origin, step by step (DNS with the delegation diagnosis, TCP, TLS, HTTP): each step
 * ok, failed or skipped with its timing, evidence, the catalogue code the gateway would answer with and the shell
 * commands that repeat it, rendered as terminal text or JSON for {@code telltale diagnose} and the admin API.
 */
package io.telltale.core.diagnosis;
