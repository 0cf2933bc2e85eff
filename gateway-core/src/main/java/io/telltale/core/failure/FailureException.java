package io.telltale.core.failure;

/**
 * A classified failure carried through futures and pipelines.
 *
 * <p>It has no stack trace: a flood of origin failures must not cost a stack walk each.
 */
public final class FailureException extends RuntimeException {
    private final transient Failure failure;

    /** Wraps a classified failure. */
    public FailureException(Failure failure) {
        super(failure.code().code() + ": " + failure.detail(), null, false, false);
        this.failure = failure;
    }

    /** Returns the classified failure. */
    public Failure failure() {
        return failure;
    }
}
