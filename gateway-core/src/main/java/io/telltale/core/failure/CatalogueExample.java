package io.telltale.core.failure;

import java.util.Objects;

/**
 * What {@code docs/errors.md} shows under one catalogue entry: a real response, what was recorded when no
 * response exists, or the stated reason why no example can be made.
 *
 * @param kind which of the three the text is
 * @param text the captured response or record, or the reason
 */
public record CatalogueExample(Kind kind, String text) {
    /** The three things an entry's example can be. */
    public enum Kind {
        /** The HTTP response the gateway gave, captured by a test that made the failure happen on loopback. */
        RESPONSE("txt"),
        /** What the gateway recorded (frame, journal entry, log or metrics line) for a failure answered without a response. */
        RECORD("recorded.txt"),
        /** Why no example can be made on loopback, in Markdown, with any real output that shows it. */
        NO_EXAMPLE("no-example.md");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        /** Returns the end of the file name that holds this kind of example for a code: {@code <code>.<suffix>}. */
        public String suffix() {
            return suffix;
        }
    }

    /** Checks that both parts are present. */
    public CatalogueExample {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
