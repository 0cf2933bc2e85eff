package io.telltale.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Collects config problems so that one load reports all of them, each written {@code field: value (expected: ...)}. */
final class Problems {
    private static final int LONGEST_VALUE = 80;

    private final List<String> found = new ArrayList<>();

    /** Records that the value at this path is not what was expected. */
    void add(String path, String value, String expected) {
        found.add(path + ": " + value + " (expected: " + expected + ")");
    }

    /** Records that a required value is absent. */
    void missing(String path, String expected) {
        add(path, "missing", expected);
    }

    /** Records a problem already written in full. */
    void addWritten(String problem) {
        found.add(problem);
    }

    /** Returns whether nothing was found. */
    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ConfigException(found);
        }
    }

    /** Returns the path of a mapping's key. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Returns the path of a list's element. */
    static String element(String path, int index) {
        return path + "[" + index + "]";
    }

    /**
     * Writes a YAML node as it appears in a message; text is quoted when a number or boolean was expected so that
     * {@code "8080"} is told apart from {@code 8080}.
     */
    static String display(JsonNode node, boolean quoteText) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        String text = node.asText();
        return node.isTextual() && quoteText ? '"' + shorten(text) + '"' : shorten(text);
    }

    /** Writes a free text value as it appears in a message, shortened and with control characters escaped. */
    static String shorten(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), LONGEST_VALUE) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= LONGEST_VALUE) {
                return out.append("...").toString();
            }
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
