package io.telltale.core.failure;

/**
 * Signals that the origin sent no response, or stopped sending one, within the response timeout.
 *
 * <p>One shared stackless instance: a timeout carries no information a stack trace would add, and a
 * slow origin must not cost a stack walk per request.
 */
public final class OriginResponseTimeoutException extends RuntimeException {
    /** The shared instance the server raises when the response timer fires. */
    public static final OriginResponseTimeoutException INSTANCE = new OriginResponseTimeoutException();

    private OriginResponseTimeoutException() {
        super("origin response timeout", null, false, false);
    }
}
