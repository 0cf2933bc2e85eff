package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.List;

/**
 * When each step of one request happened, in nanoseconds from an injected clock.
 *
 * <p>Each step is stamped once, on the request's event loop, so no field needs to be volatile. A zero
 * stamp means the step was not reached. The error renderer and the access log read it; nothing probes
 * twice to explain a failure.
 */
public final class RequestTimeline {
    private final long startNanos;
    private long dnsStartNanos;
    private long dnsDoneNanos;
    private long connectStartNanos;
    private long connectDoneNanos;
    private long connectFailedNanos;
    private long tlsDoneNanos;
    private long requestSentNanos;
    private long firstByteNanos;
    private long doneNanos;
    private boolean reusedConnection;
    private List<AddressOutcome> addresses = List.of();

    /** Starts a timeline at this instant. */
    public RequestTimeline(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Returns the instant the request arrived. */
    public long startNanos() {
        return startNanos;
    }

    /** Stamps the start of name resolution. */
    public void dnsStarted(long now) {
        dnsStartNanos = now;
    }

    /** Stamps the end of name resolution. */
    public void dnsDone(long now) {
        dnsDoneNanos = now;
    }

    /** Stamps the start of the TCP connect. */
    public void connectStarted(long now) {
        connectStartNanos = now;
    }

    /** Stamps the end of the TCP connect. */
    public void connectDone(long now) {
        connectDoneNanos = now;
    }

    /** Stamps a TCP connect that failed, so the failed step still shows how long it took. */
    public void connectFailed(long now) {
        connectFailedNanos = now;
    }

    /** Stamps the end of the TLS handshake. */
    public void tlsDone(long now) {
        tlsDoneNanos = now;
    }

    /** Stamps the flush of the request's last byte to the origin. */
    public void requestSent(long now) {
        requestSentNanos = now;
    }

    /** Stamps the first byte of the origin's response. */
    public void firstByte(long now) {
        firstByteNanos = now;
    }

    /** Stamps the end of the exchange. */
    public void done(long now) {
        doneNanos = now;
    }

    /** Records that a pooled connection was reused, so connect and TLS were not needed. */
    public void reusedConnection() {
        reusedConnection = true;
    }

    /** Records what became of one of the name's addresses, in the order they were tried. */
    public void addressTried(AddressOutcome outcome) {
        if (addresses.isEmpty()) {
            addresses = new ArrayList<>(2);
        }
        addresses.add(outcome);
    }

    /** Returns what became of each address tried, in order; empty when none was connected to afresh. */
    public List<AddressOutcome> addresses() {
        return addresses.isEmpty() ? List.of() : List.copyOf(addresses);
    }

    /** Returns whether a pooled connection was reused. */
    public boolean isReusedConnection() {
        return reusedConnection;
    }

    /** Returns whether name resolution started. */
    public boolean dnsReached() {
        return dnsStartNanos != 0;
    }

    /** Returns whether name resolution finished. */
    public boolean dnsOk() {
        return dnsDoneNanos != 0;
    }

    /** Returns whether the TCP connect started (or a pooled connection was taken). */
    public boolean connectReached() {
        return connectStartNanos != 0 || reusedConnection;
    }

    /** Returns whether the TCP connection was established (or reused). */
    public boolean connectOk() {
        return connectDoneNanos != 0 || reusedConnection;
    }

    /** Returns whether a TLS handshake completed. */
    public boolean tlsOk() {
        return tlsDoneNanos != 0;
    }

    /** Returns whether the first response byte arrived. */
    public boolean firstByteReceived() {
        return firstByteNanos != 0;
    }

    /** Returns the milliseconds spent resolving, or -1 when it did not finish. */
    public long dnsMillis() {
        return span(dnsStartNanos, dnsDoneNanos);
    }

    /** Returns the milliseconds spent connecting, until success or failure, or -1 when it did not end. */
    public long connectMillis() {
        return span(connectStartNanos, connectDoneNanos != 0 ? connectDoneNanos : connectFailedNanos);
    }

    /** Returns the milliseconds spent in the TLS handshake, or -1 when it did not finish. */
    public long tlsMillis() {
        return span(connectDoneNanos, tlsDoneNanos);
    }

    /** Returns the milliseconds from the request being sent to the first response byte, or -1. */
    public long firstByteMillis() {
        return span(requestSentNanos, firstByteNanos);
    }

    /** Returns the milliseconds from arrival to the end, or -1 when not done. */
    public long totalMillis() {
        return span(startNanos, doneNanos);
    }

    /** Returns when name resolution ran, in microseconds after arrival. */
    public Span dnsSpan() {
        return micros(dnsStartNanos, dnsDoneNanos);
    }

    /** Returns when the TCP connect ran, until success or failure, in microseconds after arrival. */
    public Span connectSpan() {
        return micros(connectStartNanos, connectDoneNanos != 0 ? connectDoneNanos : connectFailedNanos);
    }

    /** Returns when the TLS handshake ran (from the connection being open), in microseconds after arrival. */
    public Span tlsSpan() {
        return micros(connectDoneNanos, tlsDoneNanos);
    }

    /** Returns the wait from the request being sent to the first response byte, in microseconds after arrival. */
    public Span firstByteSpan() {
        return micros(requestSentNanos, firstByteNanos);
    }

    /** Returns when the exchange ended, in microseconds after arrival, or -1 when it has not. */
    public long doneMicros() {
        return offsetMicros(doneNanos);
    }

    private Span micros(long from, long to) {
        return new Span(offsetMicros(from), from == 0 ? -1 : offsetMicros(to));
    }

    private long offsetMicros(long stamp) {
        return stamp == 0 ? -1 : Math.max(0, (stamp - startNanos) / 1_000);
    }

    private static long span(long from, long to) {
        return from == 0 || to == 0 ? -1 : (to - from) / 1_000_000;
    }

    /**
     * When one step ran, relative to the request's arrival, for drawing the request as a waterfall.
     *
     * @param startMicros when the step began, or -1 when it was not reached
     * @param endMicros when it ended, or -1 when it did not end
     */
    public record Span(long startMicros, long endMicros) {
        /** Returns whether the step began. */
        public boolean started() {
            return startMicros >= 0;
        }

        /** Returns whether the step ended. */
        public boolean ended() {
            return endMicros >= 0;
        }
    }
}
