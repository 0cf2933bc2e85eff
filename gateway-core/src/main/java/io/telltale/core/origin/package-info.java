/**
 * Connections to origins: per-event-loop keep-alive pools, connect and response timeouts, and the request timeline.
 */
package io.telltale.core.origin;
