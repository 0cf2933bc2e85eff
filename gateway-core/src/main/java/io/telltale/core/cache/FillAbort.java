package io.telltale.core.cache;

import io.telltale.core.failure.Failure;

/**
 * Why a subscriber of a collapsed miss will not get a complete response, and what it should do.
 *
 * @param reason what happened
 * @param headDelivered whether {@code onHead} was already delivered, in which case the client's response
 *     started and the connection must be closed
 * @param originStatus the origin's error status when it answered with one the stale copy may replace, else 0
 * @param failure the gateway failure that ended the fill, or null
 */
public record FillAbort(Reason reason, boolean headDelivered, int originStatus, Failure failure) {
    /** What ended a subscription. */
    public enum Reason {
        /** The origin failed or the body was cut: try a stale copy, else answer the failure. */
        ORIGIN_FAILED,
        /** The subscriber waited {@code collapseTimeout} for the head: go to the origin yourself. */
        TIMED_OUT,
        /** The response varies on headers this request sent differently: go to the origin yourself. */
        VARY_MISMATCH,
        /** The response to a revalidation could not be used for this request: go to the origin yourself. */
        RETRY,
        /**
         * The fill went {@code collapseStall} without a byte or passed its {@code fillDeadline}: go to the origin
         * yourself, for the rest of the body when the response already started.
         */
        STALLED
    }
}
