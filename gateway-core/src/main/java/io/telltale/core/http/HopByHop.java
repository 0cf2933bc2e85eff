package io.telltale.core.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The fields that belong to one connection rather than to the message (RFC 9110 §7.6.1), which no hop forwards. */
public final class HopByHop {
    /** The connection-specific fields RFC 9110 §7.6.1 names, in their usual spelling. */
    public static final List<String> FIELDS = List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade");

    private static final Set<AsciiString> NOT_FORWARDED = notForwarded();

    private HopByHop() {
    }

    /** Removes every field that is not forwarded and every field the Connection header names, in place. */
    public static void strip(HttpHeaders headers) {
        // Read Connection before removing it: the fields it names are hop-by-hop for this message only.
        for (String name : connectionOptions(headers)) {
            headers.remove(name);
        }
        for (AsciiString name : NOT_FORWARDED) {
            headers.remove(name);
        }
    }

    /**
     * Returns whether a field is never forwarded, whatever Connection says: one of {@link #FIELDS},
     * Proxy-Authenticate or Proxy-Authorization.
     */
    public static boolean isHopByHop(CharSequence name) {
        return NOT_FORWARDED.contains(AsciiString.of(name).toLowerCase());
    }

    /** Returns the lower-case names the Connection header lists, or an empty set when it has none. */
    public static Set<String> connectionOptions(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CONNECTION)) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String line : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : line.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty()) {
                    names.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static Set<AsciiString> notForwarded() {
        Set<AsciiString> names = new HashSet<>();
        for (String field : FIELDS) {
            names.add(AsciiString.cached(field.toLowerCase(Locale.ROOT)));
        }
        // Proxy credentials and challenges (RFC 9110 §11.7) concern the proxy they are exchanged with; this gateway
        // neither asks for nor checks any, and passing them on would hand one hop's secret to the next.
        names.add(HttpHeaderNames.PROXY_AUTHENTICATE);
        names.add(HttpHeaderNames.PROXY_AUTHORIZATION);
        return Set.copyOf(names);
    }
}
