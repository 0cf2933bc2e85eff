/**
 * A CDN profile applied to a visitor's request: the limits that CDN puts on it and the headers it adds, sets and
 * strips on the way to the origin, each from the profile's data in {@code io.telltale.core.profile}.
 */
package io.telltale.server.profile;
