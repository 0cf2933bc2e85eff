package io.telltale.server.observe;

/**
 * One finished request, as the access log writes it.
 *
 * @param epochMillis when the request arrived
 * @param requestId the request id
 * @param client the client address
 * @param host the Host the client asked for
 * @param method the method
 * @param path the request target
 * @param protocol the client's protocol: {@code h1}, {@code h2}, or the upgraded one ({@code websocket}) once it switched
 * @param status the status sent, or 0 when the connection was aborted before one
 * @param bytesIn request body bytes received, or the bytes the client sent through a tunnel
 * @param bytes response body bytes sent, or the bytes the origin sent through a tunnel
 * @param durationMillis time from arrival to the last byte sent
 * @param cache the cache result ({@code Hit}, {@code Miss}, {@code Error}, ...)
 * @param code the failure code, or {@code -}
 * @param dnsMillis time resolving, or -1
 * @param connectMillis time connecting, or -1
 * @param tlsMillis time in the TLS handshake, or -1
 * @param firstByteMillis time from request sent to the first response byte, or -1
 * @param background whether no client waited for it (a background revalidation)
 * @param traceId the W3C trace id of the exchange, or null when it took part in no trace
 */
public record AccessRecord(
        long epochMillis,
        String requestId,
        String client,
        String host,
        String method,
        String path,
        String protocol,
        int status,
        long bytesIn,
        long bytes,
        long durationMillis,
        String cache,
        String code,
        long dnsMillis,
        long connectMillis,
        long tlsMillis,
        long firstByteMillis,
        boolean background,
        String traceId) {

    /** Returns the record as one {@code key=value} line. */
    String toLine() {
        return appendTo(new StringBuilder(256), new Clock()).toString();
    }

    /** Appends the record as one {@code key=value} line, its time formatted through the writer's clock. */
    StringBuilder appendTo(StringBuilder b, Clock clock) {
        b.append("time=");
        clock.append(b, epochMillis);
        b
                .append(" id=").append(requestId)
                .append(" client=").append(client)
                .append(" host=").append(quoteIfNeeded(host))
                .append(" method=").append(method)
                .append(" path=").append(quoteIfNeeded(path))
                .append(" protocol=").append(protocol)
                .append(" status=").append(status)
                .append(" bytes=").append(bytes)
                .append(" bytes_in=").append(bytesIn)
                .append(" duration_ms=").append(durationMillis)
                .append(" cache=").append(cache)
                .append(" code=").append(code)
                .append(" dns_ms=").append(dnsMillis)
                .append(" connect_ms=").append(connectMillis)
                .append(" tls_ms=").append(tlsMillis)
                .append(" ttfb_ms=").append(firstByteMillis);
        if (background) {
            b.append(" background=true");
        }
        if (traceId != null) {
            b.append(" trace_id=").append(traceId);
        }
        return b;
    }

    /** Appends the record as one JSON object, with the line's field names and numbers as numbers. */
    StringBuilder appendJsonTo(StringBuilder b, Clock clock) {
        b.append("{\"time\":\"");
        clock.append(b, epochMillis);
        b.append('"');
        text(b, "id", requestId);
        text(b, "client", client);
        text(b, "host", host);
        text(b, "method", method);
        text(b, "path", path);
        text(b, "protocol", protocol);
        b.append(",\"status\":").append(status)
                .append(",\"bytes\":").append(bytes)
                .append(",\"bytes_in\":").append(bytesIn)
                .append(",\"duration_ms\":").append(durationMillis);
        text(b, "cache", cache);
        text(b, "code", code);
        b.append(",\"dns_ms\":").append(dnsMillis)
                .append(",\"connect_ms\":").append(connectMillis)
                .append(",\"tls_ms\":").append(tlsMillis)
                .append(",\"ttfb_ms\":").append(firstByteMillis)
                .append(",\"background\":").append(background);
        if (traceId != null) {
            text(b, "trace_id", traceId);
        }
        return b.append('}');
    }

    /** Appends a string member; a missing or empty value is written {@code "-"}, as the text line does. */
    private static void text(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":\"");
        if (value == null || value.isEmpty()) {
            b.append('-');
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                    // A lone surrogate would make the line invalid UTF-8; escaped, it stays valid JSON.
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Formats UTC times as ISO-8601 with milliseconds, reusing the text of the current second. */
    static final class Clock {
        private long second = Long.MIN_VALUE;
        private String secondText;

        void append(StringBuilder b, long epochMillis) {
            long s = Math.floorDiv(epochMillis, 1000);
            if (s != second) {
                second = s;
                String full = java.time.Instant.ofEpochSecond(s).toString();
                secondText = full.substring(0, full.length() - 1);
            }
            int millis = (int) Math.floorMod(epochMillis, 1000);
            b.append(secondText).append('.');
            if (millis < 100) {
                b.append('0');
            }
            if (millis < 10) {
                b.append('0');
            }
            b.append(millis).append('Z');
        }
    }

    private static String quoteIfNeeded(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c >= 0x7f) {
                return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"")
                        .replaceAll("[\\x00-\\x1f\\x7f]", "?") + '"';
            }
        }
        return value;
    }
}
