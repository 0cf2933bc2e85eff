/**
 * The failure catalogue: every way a request can fail to be served, how a real error is classified into it, and how it is explained to the client.
 */
package io.telltale.core.failure;
