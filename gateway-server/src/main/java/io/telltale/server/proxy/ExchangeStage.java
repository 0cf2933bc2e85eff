package io.telltale.server.proxy;

/**
 * How far an exchange's response has come. It only moves forward; what an exchange may still do follows from
 * it, so no flag says the same thing twice.
 */
public enum ExchangeStage {
    /** The request is being admitted, routed and looked up: nothing was decided yet. */
    ROUTING,
    /** Waiting on another request's fill of the same object (a collapsed miss). */
    FOLLOWING,
    /** An origin attempt is under way and nothing was sent to the client yet. */
    ATTEMPTING,
    /** The response's head was sent: a failure now can only end the connection. */
    STREAMING,
    /** The response's last byte was handed to the client connection. */
    RESPONDED,
    /** Logged, counted and let go: nothing may touch the exchange's client any more. */
    DONE;

    /** Returns whether a failure in this stage can still be answered with its own status. */
    public boolean canAnswer() {
        return this == ROUTING || this == FOLLOWING || this == ATTEMPTING;
    }
}
