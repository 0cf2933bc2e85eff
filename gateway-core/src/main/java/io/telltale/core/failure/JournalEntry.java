package io.telltale.core.failure;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The full record of one failed request, or of one relayed response the gateway warns about, as the journal
 * keeps it.
 *
 * @param requestId the request's id
 * @param time when the failure was recorded
 * @param site the site's name, or null
 * @param origin the origin's {@code host:port}, or null
 * @param method the request method
 * @param host the request's Host
 * @param path the request's path and query
 * @param failure the failure with its evidence, or null for a warning about a response that was relayed
 * @param timeline the step durations in milliseconds
 * @param responseStarted whether the response had started, so the connection was aborted instead
 * @param warning what the gateway warned about a relayed response ({@code X-Gateway-Warning}), or null
 * @param attempts every origin attempt in order, the failed one last
 */
public record JournalEntry(
        String requestId,
        Instant time,
        String site,
        String origin,
        String method,
        String host,
        String path,
        Failure failure,
        Timings timeline,
        boolean responseStarted,
        Warning warning,
        List<AttemptRecord> attempts) {

    public JournalEntry {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        if (failure == null && warning == null) {
            throw new NullPointerException("failure or warning");
        }
        timeline = timeline == null ? Timings.NONE : timeline;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }


    /** Returns the record of a failed request. */
    public JournalEntry(String requestId, Instant time, String site, String origin, String method, String host,
            String path, Failure failure, Timings timeline, boolean responseStarted) {
        this(requestId, time, site, origin, method, host, path, Objects.requireNonNull(failure, "failure"), timeline,
                responseStarted, null, List.of());
    }

    /**
     * A warning about a response that was relayed as the origin sent it.
     *
     * @param token the {@code X-Gateway-Warning} token, e.g. {@code redirect-to-itself}
     * @param detail the likely cause and the fix, in words
     * @param status the status relayed
     */
    public record Warning(String token, String detail, int status) {
        public Warning {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Step durations of a request in milliseconds, -1 for a step that did not finish.
     *
     * @param dns name resolution
     * @param connect the TCP connect
     * @param tls the TLS handshake
     * @param firstByte from the request sent to the first response byte
     * @param total from arrival to the end
     */
    public record Timings(long dns, long connect, long tls, long firstByte, long total) {
        /** No step timed. */
        public static final Timings NONE = new Timings(-1, -1, -1, -1, -1);

        /** Returns the durations read from a timeline, or {@link #NONE} for null. */
        public static Timings of(RequestTimeline t) {
            return t == null ? NONE : new Timings(t.dnsMillis(), t.connectMillis(), t.tlsMillis(), t.firstByteMillis(), t.totalMillis());
        }
    }

    /** Returns this entry as the admin API's JSON object. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", requestId);
        m.put("time", time.toString());
        m.put("site", site);
        m.put("origin", origin);
        m.put("method", method);
        m.put("host", host);
        m.put("path", path);
        m.put("responseStarted", responseStarted);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dnsMillis", timeline.dns());
        t.put("connectMillis", timeline.connect());
        t.put("tlsMillis", timeline.tls());
        t.put("firstByteMillis", timeline.firstByte());
        t.put("totalMillis", timeline.total());
        m.put("timeline", t);
        if (failure != null) {
            m.put("failure", FailureJson.failure(failure));
        }
        m.put("attempts", FailureJson.attempts(attempts));
        if (warning != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("warning", warning.token());
            w.put("status", warning.status());
            w.put("detail", warning.detail());
            m.put("warning", w);
        }
        return m;
    }
}
