/**
 * HTTP message rules shared by every room: which methods are safe and idempotent, which fields belong to one
 * connection only, and how host names are written in config, Host headers and certificates. It imports no
 * other Telltale package, so any package may use it.
 */
package io.telltale.core.http;
