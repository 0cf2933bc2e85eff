package io.telltale.core.config;

import java.util.List;

/** Thrown when a configuration cannot be read or is invalid; it lists every problem found, one per message line. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    /** Creates an exception for these problems, each written {@code field: value (expected: ...)}. */
    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Returns the problems, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}
