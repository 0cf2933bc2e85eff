/**
 * The admin listener: health, readiness, Prometheus metrics and the failure journal, on loopback by default.
 */
package io.telltale.server.admin;
