package io.telltale.server.proxy;

import java.util.concurrent.TimeUnit;

/**
 * The deadline of one origin attempt: its origin group's {@code perTryTimeout}, or what is left of a gRPC call's
 * {@code grpc-timeout}, whichever ends first; the origin's own timeouts still apply within it.
 */
final class AttemptDeadline {
    private AttemptDeadline() {
    }

    /**
     * Arms the attempt's deadline before it starts and, for a gRPC call with a deadline, sets the {@code grpc-timeout}
     * the origin gets to the time left, so that the origin gives up when the client does (as Envoy does).
     */
    static void arm(ProxyExchange e, OriginAttempt attempt, long perTryNanos, long nowNanos) {
        if (e.grpcDeadline == null) {
            e.grpcDeadline = GrpcDeadline.of(e.facts().request(), e.facts().startNanos());
        }
        GrpcDeadline grpc = e.grpcDeadline;
        if (grpc.bounded()) {
            long left = grpc.leftNanos(nowNanos);
            e.outbound.headers().set(GrpcDeadline.HEADER, GrpcDeadline.encode(left));
            if (perTryNanos <= 0 || left < perTryNanos) {
                attempt.deadline(e.downstream().loop(), left, "what was left (" + millis(left) + " ms) of the "
                        + "client's grpc-timeout of " + millis(grpc.timeoutNanos()) + " ms", "grpcTimeoutMillis",
                        millis(grpc.timeoutNanos()));
                return;
            }
        }
        if (perTryNanos > 0) {
            attempt.deadline(e.downstream().loop(), perTryNanos, "the origin group's perTryTimeout of "
                    + millis(perTryNanos) + " ms", "perTryTimeoutMillis", millis(perTryNanos));
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
