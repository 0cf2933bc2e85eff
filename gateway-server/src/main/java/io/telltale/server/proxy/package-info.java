/**
 * A request's way through the gateway: admission, routing, the cache, origin attempts, streaming both ways
 * and the one place an exchange finishes.
 */
package io.telltale.server.proxy;
