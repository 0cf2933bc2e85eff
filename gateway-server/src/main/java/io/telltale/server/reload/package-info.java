/**
 * Reloading the config without a restart: what a loaded config is (its digest and load time), which fields only
 * a restart changes, which sites' caches a reload drops, and its triggers: SIGHUP and
 * a watch on the config file's content.
 */
package io.telltale.server.reload;
