/**
 * The {@code telltale} command line: run, check-config, version and the commands later issues add.
 */
package io.telltale.server.cli;
