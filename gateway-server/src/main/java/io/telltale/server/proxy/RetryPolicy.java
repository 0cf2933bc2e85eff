package io.telltale.server.proxy;

import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.Phase;
import io.telltale.core.origin.Http2Failures;

/**
 * Decides what follows a failed origin attempt, from the failure's catalogue entry and what the attempt had
 * already done: the one place the retry rules live.
 */
final class RetryPolicy {
    /** What to do after a failed attempt. */
    enum Decision {
        /** Try the same origin again on a new connection: a pooled one had been closed by the origin. */
        FRESH_CONNECTION,
        /** Try the same origin again on a new connection: its profile allows more attempts (CloudFront's 3). */
        SAME_ORIGIN_AGAIN,
        /** Try the site's next origin: this one never saw the request, or the request may be sent twice. */
        NEXT_ORIGIN,
        /** Answer the failure. */
        GIVE_UP
    }

    private RetryPolicy() {
    }

    /**
     * What the exchange had done when its attempt failed.
     *
     * @param connected whether the attempt had a connection, so the request may have reached the origin
     * @param reusedConnection whether that connection came from the pool
     * @param canAnswer whether nothing of the response reached the client yet
     * @param headTaken whether the cache fill already took this attempt's response head, which a second
     *     response cannot replace
     * @param idempotent whether the request may be sent twice (RFC 9110 §9.2.2)
     * @param hasBody whether the request carries a body, which is streamed once and cannot be sent again
     * @param moreOrigins whether the site has an origin after this attempt's
     * @param retriedBefore whether this exchange already retried on a fresh connection
     * @param group whether the site configured an origin group, whose failover goes beyond connect failures
     * @param attemptsLeft whether the origin's {@code connectAttempts} allow another attempt at it
     * @param getOrHead whether the request is a GET or HEAD, the methods CloudFront sends again after a response
     *     timeout
     */
    record Situation(boolean connected, boolean reusedConnection, boolean canAnswer, boolean headTaken,
            boolean idempotent,
            boolean hasBody, boolean moreOrigins, boolean retriedBefore, boolean group, boolean attemptsLeft,
            boolean getOrHead) {
    }

    /** Returns what follows an attempt that failed in the given situation. */
    static Decision decide(Failure failure, Situation s) {
        if (!s.canAnswer() || s.headTaken()) {
            return Decision.GIVE_UP;
        }
        FailureCode code = failure.code();
        if (Http2Failures.neverProcessed(failure) && !s.retriedBefore() && (!s.hasBody() || !s.connected())) {
            // REFUSED_STREAM, or a stream above GOAWAY's last stream id: the origin never processed the request
            // (RFC 9113 §8.7), so any method may be sent again, on a new connection, while its body is unsent.
            return Decision.FRESH_CONNECTION;
        }
        if (s.attemptsLeft() && againAtSameOrigin(code, s)) {
            return Decision.SAME_ORIGIN_AGAIN;
        }
        if (!s.connected()) {
            // A connect failure means the origin never saw the request, so the next origin may serve it; a full
            // connection budget is this gateway's own limit and says nothing of the origin. An origin group also
            // moves on when the origin's name or TLS failed, which happen before the request is sent too.
            boolean beforeSending = code.phase() == Phase.CONNECT
                    || (s.group() && (code.phase() == Phase.DNS || code.phase() == Phase.TLS));
            return beforeSending && code != FailureCode.ORIGIN_CONNECTION_LIMIT && s.moreOrigins()
                    ? Decision.NEXT_ORIGIN : Decision.GIVE_UP;
        }
        // An origin may close a pooled connection just as a request is written on it (RFC 9112 §9.3.1):
        // the request is sent once more, on a new connection, when sending it twice is harmless.
        boolean brokenPooled = s.reusedConnection() && code.phase() == Phase.RESPONSE
                && code != FailureCode.ORIGIN_RESPONSE_TIMEOUT;
        if (brokenPooled && s.idempotent() && !s.hasBody() && !s.retriedBefore()) {
            return Decision.FRESH_CONNECTION;
        }
        // A group sends a request that may be sent twice on to the next origin when its response timed out or broke.
        return s.group() && s.moreOrigins() && s.idempotent() && !s.hasBody() && code.phase() == Phase.RESPONSE
                ? Decision.NEXT_ORIGIN : Decision.GIVE_UP;
    }

    /**
     * Whether an origin allowing several attempts gets another: a connect that failed (never a full connection
     * budget), or a GET or HEAD whose response timed out, as CloudFront retries them.
     */
    private static boolean againAtSameOrigin(FailureCode code, Situation s) {
        if (!s.connected()) {
            return code.phase() == Phase.CONNECT && code != FailureCode.ORIGIN_CONNECTION_LIMIT;
        }
        return code == FailureCode.ORIGIN_RESPONSE_TIMEOUT && s.getOrHead() && !s.hasBody();
    }
}
