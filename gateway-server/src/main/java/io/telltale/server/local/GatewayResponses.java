package io.telltale.server.local;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.failure.FailureJournal;
import io.telltale.core.failure.JournalEntry;
import io.telltale.core.failure.RenderedError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The gateway's own complete answers, as full responses ready to write. */
public final class GatewayResponses {
    /** Reason phrases of the statuses HTTP does not name, as the CDNs that made them up use them. */
    private static final Map<Integer, HttpResponseStatus> EDGE_STATUSES = Map.of(
            508, new HttpResponseStatus(508, "Loop Detected"),
            520, new HttpResponseStatus(520, "Web Server Returned an Unknown Error"),
            521, new HttpResponseStatus(521, "Web Server Is Down"),
            522, new HttpResponseStatus(522, "Connection Timed Out"),
            523, new HttpResponseStatus(523, "Origin Is Unreachable"),
            524, new HttpResponseStatus(524, "A Timeout Occurred"));

    private GatewayResponses() {
    }

    /** Returns the status with its reason phrase, including the CDN-style 52x ones. */
    static HttpResponseStatus status(int code) {
        HttpResponseStatus edge = EDGE_STATUSES.get(code);
        return edge != null ? edge : HttpResponseStatus.valueOf(code);
    }

    /** Returns a rendered answer as a full response with its length set. */
    public static FullHttpResponse toResponse(RenderedError rendered) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                status(rendered.status()), Unpooled.wrappedBuffer(rendered.body()));
        HttpHeaders h = response.headers();
        for (Map.Entry<String, String> header : rendered.headers()) {
            h.add(header.getKey(), header.getValue());
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, rendered.body().length);
        return response;
    }

    /**
     * Returns the journaled failure of a request of this site as JSON when the client is trusted; otherwise, or
     * when the record is gone or belongs to another site, a 404 that reveals nothing.
     */
    public static RenderedError journalEntry(FailureJournal journal, String site, boolean trusted, String requestId,
            String wanted) {
        JournalEntry entry = trusted ? journal.find(wanted).filter(e -> site.equals(e.site())).orElse(null) : null;
        // The record echoes what clients sent: a browser must not sniff it into HTML or script.
        if (entry == null) {
            byte[] body = ("no failure record " + wanted + " for you here\n").getBytes(StandardCharsets.US_ASCII);
            return new RenderedError(404, List.of(Map.entry("Content-Type", "text/plain; charset=us-ascii"),
                    Map.entry("Cache-Control", "no-store"), Map.entry("X-Content-Type-Options", "nosniff"),
                    Map.entry("X-Request-Id", requestId)), "text/plain; charset=us-ascii", body);
        }
        return new RenderedError(200, List.of(Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "no-store"), Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("X-Request-Id", requestId)), "application/json", FailureJournal.toJson(entry));
    }

    /** Returns the trace page: one {@code key=value} line a fact, in order. */
    public static RenderedError trace(Map<String, String> facts) {
        StringBuilder text = new StringBuilder(256);
        facts.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        return new RenderedError(200, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8"),
                Map.entry("Cache-Control", "no-store"), Map.entry("X-Request-Id", facts.getOrDefault("request_id", ""))),
                "text/plain; charset=utf-8", body);
    }

    /** Returns the 504 for an only-if-cached request that nothing stored can answer (RFC 9111 §5.2.1.7). */
    public static RenderedError onlyIfCachedMiss(String requestId, CacheStatus status) {
        byte[] body = "504 Gateway Timeout: only-if-cached was asked and no stored response can be used\n"
                .getBytes(StandardCharsets.US_ASCII);
        return new RenderedError(504, List.of(Map.entry("Content-Type", "text/plain; charset=us-ascii"),
                Map.entry("X-Cache", status.xCache()), Map.entry("Cache-Status", status.cacheStatus()),
                Map.entry("X-Request-Id", requestId)), "text/plain; charset=us-ascii", body);
    }
}
