/**
 * The client side of the gateway: listeners, the client pipeline, the strict HTTP/1.1 codec and the
 * deadlines that bound how long a client may take.
 */
package io.telltale.server.edge;
