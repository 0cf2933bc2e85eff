/**
 * Origin name resolution with dnsjava over configured resolvers: caching, negative caching, serve-stale, failure evidence and delegation diagnosis.
 */
package io.telltale.core.dns;
