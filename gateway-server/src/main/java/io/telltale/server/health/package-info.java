/** Active health checks of origin groups and the origin doctor's warnings of failures to come. */
package io.telltale.server.health;
