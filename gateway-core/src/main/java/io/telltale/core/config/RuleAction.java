package io.telltale.core.config;

/** What an edge rule does to a header. */
public enum RuleAction {
    /** Replaces every value of the header with one value. */
    SET,
    /** Adds a value, keeping the existing ones. */
    ADD,
    /** Removes the header. */
    REMOVE
}
