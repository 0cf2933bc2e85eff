package io.telltale.server.tunnel;

/**
 * How a tunnel ended, reported once both of its connections are closed.
 *
 * @param bytesToOrigin bytes the client sent through the tunnel
 * @param bytesToClient bytes the origin sent through the tunnel
 * @param durationNanos from the tunnel's start to its end
 * @param endedBy the side that ended it first
 * @param cut whether it was cut (a reset, an I/O error, the idle timeout or a stop) rather than closed cleanly
 * @param reason what ended it, in a few words
 */
public record TunnelOutcome(long bytesToOrigin, long bytesToClient, long durationNanos, TunnelSide endedBy, boolean cut,
        String reason) {
}
