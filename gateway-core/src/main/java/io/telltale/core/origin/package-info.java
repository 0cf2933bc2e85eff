/**
 * Connections to origins: per-event-loop keep-alive pools, connect and response timeouts. Each step is stamped on
 * the failure package's request timeline, so the dependency runs one way: origin produces failures, failure never
 * imports origin.
 */
package io.telltale.core.origin;
