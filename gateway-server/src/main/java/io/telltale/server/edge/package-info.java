/**
 * The client side of the gateway: listeners, the client pipeline, the strict HTTP/1.1 codec, HTTP/2 (chosen
 * by ALPN or prior knowledge, one stream channel per request, its flood guards), and the per-event-loop timer that bounds how long a client may take and lets idle connections give up their
 * HTTP handlers until their next request.
 */
package io.telltale.server.edge;
