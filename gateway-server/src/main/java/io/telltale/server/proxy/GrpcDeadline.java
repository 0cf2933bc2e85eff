package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC call's deadline, from the {@code grpc-timeout} its client sent ({@code 1S}, {@code 250m}: at most 8 digits
 * and a unit H, M, S, m, u or n): it bounds each origin attempt and is passed on reduced by the time already spent.
 *
 * @param timeoutNanos the timeout the client sent, or -1 when there is none
 * @param deadlineNanos when it runs out, on the gateway's monotonic clock
 */
record GrpcDeadline(long timeoutNanos, long deadlineNanos) {
    /** The request header that carries it. */
    static final AsciiString HEADER = AsciiString.cached("grpc-timeout");

    /** No deadline: not a gRPC call, no {@code grpc-timeout}, or one that does not follow the grammar. */
    static final GrpcDeadline NONE = new GrpcDeadline(-1, Long.MAX_VALUE);

    private static final int MAX_DIGITS = 8;
    private static final long MAX_VALUE = 99_999_999L;
    private static final String UNITS = "numSMH";
    private static final TimeUnit[] TIME_UNITS = {TimeUnit.NANOSECONDS, TimeUnit.MICROSECONDS, TimeUnit.MILLISECONDS,
        TimeUnit.SECONDS, TimeUnit.MINUTES, TimeUnit.HOURS};

    /**
     * Returns why a gRPC call's {@code grpc-timeout} is refused, or null when it is absent or well-formed: like gRPC
     * servers (grpc-go answers INTERNAL, grpc-java resets the stream), the gateway does not guess a deadline the
     * client did not say, and a gRPC client reads the 400 as INTERNAL with this explanation.
     */
    static Failure malformed(HttpRequest request) {
        String value = request.headers().get(HEADER);
        if (value == null || parse(value) >= 0 || !GrpcAnswers.isGrpc(request)) {
            return null;
        }
        return Failure.of(FailureCode.MALFORMED_REQUEST, "The gRPC call's grpc-timeout is not 1 to 8 digits and a unit"
                + " (H, M, S, m, u or n), so it says no deadline the gateway could keep.",
                Evidence.builder().put("grpcTimeout", value.length() > 32 ? value.substring(0, 32) + "…" : value)
                        .build());
    }

    /**
     * Returns the deadline of a request that arrived at {@code startNanos}: {@link #NONE} unless it is a gRPC call
     * with a well-formed {@code grpc-timeout} (admission refuses a malformed one).
     */
    static GrpcDeadline of(HttpRequest request, long startNanos) {
        if (!GrpcAnswers.isGrpc(request)) {
            return NONE;
        }
        long nanos = parse(request.headers().get(HEADER));
        if (nanos < 0) {
            return NONE;
        }
        long deadline = startNanos + nanos;
        // A timeout of centuries (99999999H) is no deadline on a monotonic clock that would overflow.
        return deadline < startNanos ? NONE : new GrpcDeadline(nanos, deadline);
    }

    /** Returns the timeout in nanoseconds, or -1 when the value is absent or not 1 to 8 digits and a unit. */
    static long parse(String value) {
        if (value == null || value.length() < 2 || value.length() > MAX_DIGITS + 1) {
            return -1;
        }
        int unit = UNITS.indexOf(value.charAt(value.length() - 1));
        if (unit < 0) {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        return TIME_UNITS[unit].toNanos(amount);
    }

    /** Returns a timeout in the header's form: the finest unit whose value fits 8 digits, rounded up. */
    static String encode(long nanos) {
        long left = Math.max(1, nanos);
        for (int i = 0; i < UNITS.length(); i++) {
            long unitNanos = TIME_UNITS[i].toNanos(1);
            long amount = (left + unitNanos - 1) / unitNanos;
            if (amount <= MAX_VALUE) {
                return amount + String.valueOf(UNITS.charAt(i));
            }
        }
        return MAX_VALUE + "H";
    }

    /** Returns whether the call has a deadline. */
    boolean bounded() {
        return timeoutNanos >= 0;
    }

    /** Returns the time left at {@code nowNanos}, 0 once it ran out. */
    long leftNanos(long nowNanos) {
        return Math.max(0, deadlineNanos - nowNanos);
    }
}
