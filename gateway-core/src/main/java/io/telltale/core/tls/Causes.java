package io.telltale.core.tls;

/** Walks an exception's cause chain, as the TLS classifiers read it. */
final class Causes {
    private Causes() {
    }

    /** Returns the first throwable of this type in the cause chain, or null. */
    static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Returns the deepest cause. */
    static Throwable innermost(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Returns the throwable's simple class name and message. */
    static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
