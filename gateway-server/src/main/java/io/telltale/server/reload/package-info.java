/**
 * Reloading the config without a restart: what a loaded config is (its digest and load time), which fields only
 * a restart changes, which sites' caches a reload drops, and the SIGHUP trigger.
 */
package io.telltale.server.reload;
