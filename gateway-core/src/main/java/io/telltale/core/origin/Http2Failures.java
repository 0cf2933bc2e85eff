package io.telltale.core.origin;

import io.netty.handler.codec.http2.Http2Error;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.OriginHop;
import java.util.Map;

/** Names the ways an HTTP/2 origin fails a stream: a reset, a GOAWAY, or no HTTP/2 at all. */
public final class Http2Failures {
    /** The evidence fact that says the origin never processed the request, so it may be sent again. */
    public static final String UNPROCESSED = "http2.unprocessed";

    private static final int MAX_DEBUG_CHARS = 200;

    private Http2Failures() {
    }

    /** Returns whether the failure says the origin never processed the request (RFC 9113 §8.7). */
    public static boolean neverProcessed(Failure failure) {
        return Boolean.TRUE.equals(failure.evidence().get(UNPROCESSED));
    }

    /** Returns the name of an HTTP/2 error code, e.g. {@code REFUSED_STREAM}, or its hex value when unknown. */
    public static String errorName(long code) {
        Http2Error error = Http2Error.valueOf(code);
        return error == null ? "0x" + Long.toHexString(code) : error.name();
    }

    static Failure reset(OriginHop hop, int streamId, long errorCode) {
        String name = errorName(errorCode);
        boolean refused = errorCode == Http2Error.REFUSED_STREAM.code();
        String detail = "The origin " + hop.nextHop() + " reset stream " + streamId + " with " + name
                + (refused ? ", before processing the request." : ".");
        return new Failure(FailureCode.ORIGIN_STREAM_RESET, null, Map.of("details", "RST_STREAM " + name), detail,
                hopFacts(hop)
                        .put("http2.streamId", streamId)
                        .put("http2.errorCode", name)
                        .put(UNPROCESSED, refused ? Boolean.TRUE : null)
                        .build(), null);
    }

    static Failure goAway(OriginHop hop, int streamId, Http2Session.GoAway goAway) {
        String name = errorName(goAway.errorCode());
        // A stream the origin never saw has no id yet, or one above the last the origin says it processed.
        boolean unprocessed = streamId <= 0 || streamId > goAway.lastStreamId();
        String detail = "The origin " + hop.nextHop() + " sent GOAWAY " + name + " with last stream id "
                + goAway.lastStreamId() + (unprocessed ? ", so it never processed this request."
                        : ", and closed the connection before this stream's response ended.");
        String debug = goAway.debugData().isEmpty() ? "(none)" : goAway.debugData();
        if (debug.length() > MAX_DEBUG_CHARS) {
            debug = debug.substring(0, MAX_DEBUG_CHARS) + "…";
        }
        return new Failure(FailureCode.ORIGIN_GOAWAY, null, Map.of("details", "GOAWAY " + name), detail,
                hopFacts(hop)
                        .put("http2.streamId", streamId > 0 ? streamId : "(not sent)")
                        .put("http2.lastStreamId", goAway.lastStreamId())
                        .put("http2.errorCode", name)
                        .put("http2.debugData", debug)
                        .put(UNPROCESSED, unprocessed ? Boolean.TRUE : null)
                        .build(), null);
    }

    static Failure notHttp2(OriginHop hop, String detail, String fact, Object value) {
        return Failure.of(FailureCode.ORIGIN_NOT_HTTP2, detail, hopFacts(hop).put(fact, value).build());
    }

    private static Evidence.Builder hopFacts(OriginHop hop) {
        return Evidence.builder()
                .put("origin.host", hop.host())
                .put("origin.port", hop.port())
                .put("origin.address", hop.addressText());
    }
}
