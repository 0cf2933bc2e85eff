package io.telltale.core.failure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway saw when a request failed, as ordered name/value facts.
 *
 * <p>Values are strings, numbers, booleans, lists or maps of those, so that every renderer can
 * print them. Evidence may name addresses, certificates and servers, so it is only shown to
 * trusted clients.
 */
public final class Evidence {
    private static final Evidence EMPTY = new Evidence(Map.of());

    private final Map<String, Object> facts;

    private Evidence(Map<String, Object> facts) {
        this.facts = facts;
    }

    /** Returns evidence with no facts. */
    public static Evidence empty() {
        return EMPTY;
    }

    /** Returns a builder that keeps facts in the order they are added. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the facts in the order they were recorded. */
    public Map<String, Object> facts() {
        return facts;
    }

    /** Returns the fact with this name, or null. */
    public Object get(String name) {
        return facts.get(name);
    }

    /** Returns whether there are no facts. */
    public boolean isEmpty() {
        return facts.isEmpty();
    }

    /** Returns a copy with the other evidence's facts added after these. */
    public Evidence with(Evidence other) {
        if (other.isEmpty()) {
            return this;
        }
        Builder b = builder();
        b.facts.putAll(facts);
        b.facts.putAll(other.facts);
        return b.build();
    }

    @Override
    public String toString() {
        return facts.toString();
    }

    /** Collects facts in order. */
    public static final class Builder {
        private final Map<String, Object> facts = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds a fact; a null value is skipped so callers need not test for absence. */
        public Builder put(String name, Object value) {
            if (value != null) {
                facts.put(name, value instanceof List<?> l ? List.copyOf(l) : value);
            }
            return this;
        }

        /** Returns the immutable evidence. */
        public Evidence build() {
            return facts.isEmpty() ? EMPTY : new Evidence(Collections.unmodifiableMap(new LinkedHashMap<>(facts)));
        }
    }
}
