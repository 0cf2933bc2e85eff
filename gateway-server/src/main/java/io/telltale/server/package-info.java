/**
 * The Telltale process: assembles the gateway from a validated config, starts its listeners and admin API,
 * and stops it with a drain.
 */
package io.telltale.server;
