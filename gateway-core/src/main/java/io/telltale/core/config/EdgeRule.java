package io.telltale.core.config;

/**
 * One header rule applied at the edge.
 *
 * @param name a name for the rule, shown when it fails
 * @param header the header it changes
 * @param action what it does
 * @param value the value for set and add; may use {@code ${client.address}}, {@code ${request.host}},
 *     {@code ${request.path}}, {@code ${request.id}} and {@code ${request.header.NAME}}
 */
public record EdgeRule(
        @Optional String name,
        String header,
        @Default("set") RuleAction action,
        @Optional String value) {
}
