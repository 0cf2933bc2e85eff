/** The answers the gateway gives itself: the trace page, catalogue pages and journal entries. */
package io.telltale.server.local;
