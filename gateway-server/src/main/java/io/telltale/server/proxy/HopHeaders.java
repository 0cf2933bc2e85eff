package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The hop-by-hop header rules of RFC 9110 §7.6.1, applied in both directions.
 *
 * <p>Framing headers are removed too: the gateway frames each hop itself.
 */
public final class HopHeaders {
    private static final AsciiString[] HOP_BY_HOP = {
        HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"),
        HttpHeaderNames.TE,
        HttpHeaderNames.TRAILER,
        HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.PROXY_AUTHENTICATE,
    };

    private HopHeaders() {
    }

    /** Removes the hop-by-hop headers and every header the Connection header names. */
    static void strip(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            String value = connection.get(i);
            int start = 0;
            while (start < value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String name = value.substring(start, end).trim();
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
                start = end + 1;
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** Returns whether a comma-separated header holds this token, ignoring case. */
    static boolean containsToken(HttpHeaders headers, CharSequence name, String token) {
        List<String> values = headers.getAll(name);
        for (int v = 0; v < values.size(); v++) {
            String value = values.get(v);
            int start = 0;
            while (start < value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                if (matchesToken(value, start, end, token)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    private static boolean matchesToken(String value, int start, int end, String token) {
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        // A Via entry is "1.1 name (comment)": compare the pseudonym after the protocol.
        int space = value.indexOf(' ', start);
        if (space >= 0 && space < end) {
            start = space + 1;
        }
        int stop = start;
        while (stop < end && value.charAt(stop) != ' ' && value.charAt(stop) != ';') {
            stop++;
        }
        return stop - start == token.length() && value.regionMatches(true, start, token, 0, token.length());
    }
}
