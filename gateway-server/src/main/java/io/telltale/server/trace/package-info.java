/**
 * Distributed tracing: the W3C trace context an exchange continues (or starts) and sends to its origin, and the
 * optional OpenTelemetry export of one span per exchange.
 */
package io.telltale.server.trace;
