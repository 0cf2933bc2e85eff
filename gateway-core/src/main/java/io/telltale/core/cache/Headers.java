package io.telltale.core.cache;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.telltale.core.http.HopByHop;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Header names the cache writes, and the copying of end-to-end headers (RFC 9110 §7.6.1). */
final class Headers {
    static final AsciiString X_CACHE = AsciiString.cached("x-cache");
    static final AsciiString CACHE_STATUS = AsciiString.cached("cache-status");

    private Headers() {
    }

    /** Returns new, unvalidated headers: what goes in was validated by the codec that decoded it. */
    static HttpHeaders newHeaders() {
        return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    }

    /**
     * Returns a copy without hop-by-hop fields, the fields {@code Connection} names, and the fields the cache
     * computes itself ({@code Age}, {@code X-Cache}); {@code Content-Length} is kept only when asked.
     */
    static HttpHeaders endToEnd(HttpHeaders source, boolean keepContentLength) {
        Set<String> listed = HopByHop.connectionOptions(source);
        HttpHeaders copy = newHeaders();
        Iterator<Map.Entry<CharSequence, CharSequence>> it = source.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (HopByHop.isHopByHop(name) || name.contentEquals(HttpHeaderNames.AGE) || name.contentEquals(X_CACHE)
                    || !keepContentLength && name.contentEquals(HttpHeaderNames.CONTENT_LENGTH)
                    || !listed.isEmpty() && listed.contains(name.toString())) {
                continue;
            }
            copy.add(name, header.getValue());
        }
        return copy;
    }

    /** Returns the sum of name and value lengths plus the line overhead, as the cache weighs headers. */
    static int size(HttpHeaders headers) {
        int size = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }
}
