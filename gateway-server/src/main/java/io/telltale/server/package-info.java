/**
 * The Telltale process's edge: listeners, the client pipeline, and the handler that takes each request
 * through routing, the cache and the origin, answering every failure with an explained error.
 */
package io.telltale.server;
