package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the request header names a response's {@code Vary} lists (RFC 9110 §12.5.5). */
final class VaryNames {
    static final AsciiString[] NONE = new AsciiString[0];

    private VaryNames() {
    }

    /** Returns the lower-case, de-duplicated names, or {@link #NONE} when the response does not vary. */
    static AsciiString[] of(HttpHeaders headers) {
        List<String> lines = headers.getAll(HttpHeaderNames.VARY);
        if (lines.isEmpty()) {
            return NONE;
        }
        Set<AsciiString> names = new LinkedHashSet<>();
        for (String line : lines) {
            for (String name : line.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty()) {
                    names.add(AsciiString.cached(trimmed.toLowerCase(Locale.ROOT)));
                }
            }
        }
        return names.toArray(NONE);
    }

    /** Returns whether {@code Vary: *} makes the response unusable for any other request. */
    static boolean isStar(HttpHeaders headers) {
        for (String line : headers.getAll(HttpHeaderNames.VARY)) {
            for (String name : line.split(",")) {
                if (name.trim().equals("*")) {
                    return true;
                }
            }
        }
        return false;
    }
}
