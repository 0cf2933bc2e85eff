/**
 * Preflight: one origin probed once under each CDN profile with that CDN's origin rules, TLS offer and timeouts,
 * judged in that CDN's terms (pass, or the visitor's error and a one-line fix), with warnings and text, JSON and JUnit
 * reports.
 */
package io.telltale.core.preflight;
