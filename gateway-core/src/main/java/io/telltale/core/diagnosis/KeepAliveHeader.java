package io.telltale.core.diagnosis;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/** Reads how long an origin says it keeps an idle connection open, from its response's {@code Keep-Alive} header. */
final class KeepAliveHeader {
    private static final String TIMEOUT = "timeout=";

    private KeepAliveHeader() {
    }

    /** Returns the {@code timeout=N} seconds the origin announced, or null when it announced none or an unreadable one. */
    static Long timeoutSeconds(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.KEEP_ALIVE);
        if (value == null) {
            return null;
        }
        for (String part : value.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith(TIMEOUT)) {
                try {
                    long seconds = Long.parseLong(p.substring(TIMEOUT.length()).trim());
                    return seconds < 0 ? null : seconds;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Returns whether the origin closes the connection after this response. */
    static boolean closes(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
    }
}
