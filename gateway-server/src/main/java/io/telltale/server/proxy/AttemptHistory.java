package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.telltale.core.failure.AddressOutcome;
import io.telltale.core.failure.AttemptRecord;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.RequestTimeline;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Turns an exchange's origin attempts into the records its explanation lists, and names on a served response
 * which origin and address served it and what failed before (trusted detail only).
 */
final class AttemptHistory {
    /** The response field that explains a failover to a trusted client. */
    static final AsciiString X_GATEWAY_FAILOVER = AsciiString.cached("x-gateway-failover");

    private AttemptHistory() {
    }

    /**
     * Returns the records of a failed attempt: each address that did not connect, then the failure itself
     * unless it was only the sum of those addresses' failures.
     */
    static List<AttemptRecord> failed(OriginAttempt attempt, Failure failure, long attemptStartNanos, long nowNanos) {
        String origin = attempt.target().nextHop();
        RequestTimeline timeline = attempt.timeline();
        List<AttemptRecord> records = new ArrayList<>(AttemptRecord.unconnected(origin, timeline));
        String address = connectedAddress(attempt);
        if (address != null || records.isEmpty()) {
            records.add(new AttemptRecord(origin, address, failure.code(), 0, failure.code().phase(),
                    millis(attemptStartNanos - timeline.startNanos()), millis(nowNanos - attemptStartNanos)));
        }
        return records;
    }

    /** Returns the record of an attempt whose origin answered with a status the site fails over on. */
    static AttemptRecord status(OriginAttempt attempt, int status, long attemptStartNanos, long nowNanos) {
        return new AttemptRecord(attempt.target().nextHop(), connectedAddress(attempt), null, status,
                io.telltale.core.failure.Phase.RESPONSE, millis(attemptStartNanos - attempt.timeline().startNanos()),
                millis(nowNanos - attemptStartNanos));
    }

    /**
     * Adds {@code X-Gateway-Failover} to a served response when anything failed before the serving attempt:
     * {@code served="host:port 127.0.0.3"; failed="host:port 127.0.0.2 OriginConnectionRefused (connect) ..."}.
     */
    static void explainServed(ProxyExchange e, OriginAttempt serving, HttpHeaders h) {
        List<AttemptRecord> current = AttemptRecord.unconnected(serving.target().nextHop(), serving.timeline());
        if (e.tried == null && current.isEmpty()) {
            return;
        }
        StringJoiner failed = new StringJoiner(", ");
        if (e.tried != null) {
            e.tried.forEach(r -> failed.add(r.describe()));
        }
        current.forEach(r -> failed.add(r.describe()));
        h.set(X_GATEWAY_FAILOVER, "served=\"" + serving.target().nextHop() + " " + connectedAddress(serving)
                + "\"; failed=\"" + failed + "\"");
    }

    private static String connectedAddress(OriginAttempt attempt) {
        if (attempt.connection() != null) {
            return attempt.connection().hop().addressText();
        }
        for (AddressOutcome a : attempt.timeline().addresses()) {
            if (a.result() == AddressOutcome.Result.CONNECTED) {
                return a.address();
            }
        }
        return null;
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }
}
