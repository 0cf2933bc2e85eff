package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A site's target list (RFC 9213 §2.2): the targeted cache-control fields this cache obeys, most specific first
 * (the site's own field, then {@code CDN-Cache-Control}), and which of them clients never see.
 */
final class TargetList {
    /** The targeted field of every CDN cache (RFC 9213 §3). */
    static final AsciiString CDN_CACHE_CONTROL = AsciiString.cached("cdn-cache-control");

    private final AsciiString[] fields;
    private final AsciiString[] withheld;

    private TargetList(AsciiString[] fields, AsciiString[] withheld) {
        this.fields = fields;
        this.withheld = withheld;
    }

    /** Returns the list for a site's targeted field (null for none) and what it removes from responses to clients. */
    static TargetList of(String targetedField, boolean removeTargeted, boolean removeCdnCacheControl) {
        List<AsciiString> fields = new ArrayList<>();
        List<AsciiString> withheld = new ArrayList<>();
        AsciiString own = targetedField == null ? null : AsciiString.of(targetedField).toLowerCase();
        if (own != null && !own.contentEquals(CDN_CACHE_CONTROL)) {
            fields.add(own);
            if (removeTargeted) {
                withheld.add(own);
            }
        }
        fields.add(CDN_CACHE_CONTROL);
        if (removeCdnCacheControl || removeTargeted && CDN_CACHE_CONTROL.contentEquals(own)) {
            withheld.add(CDN_CACHE_CONTROL);
        }
        return new TargetList(fields.toArray(new AsciiString[0]), withheld.toArray(new AsciiString[0]));
    }

    /**
     * Returns the response's directives for this cache: those of the first field on the list that is present
     * and valid, else those of Cache-Control (RFC 9213 §2.2); a field that is empty or not a valid Dictionary is
     * as good as absent.
     */
    CacheControl directives(HttpHeaders response) {
        for (AsciiString field : fields) {
            if (response.contains(field)) {
                // Several field lines make one list (RFC 9110 §5.3), parsed as one Dictionary (RFC 8941 §4.2).
                Map<String, Object> members = StructuredDictionary.parse(String.join(", ", response.getAll(field)));
                if (members != null) {
                    return CacheControl.ofTargeted(members);
                }
            }
        }
        return CacheControl.of(response);
    }

    /** Removes the fields clients must not see from these headers and returns them (empty when there were none). */
    HttpHeaders withhold(HttpHeaders headers) {
        HttpHeaders removed = Headers.newHeaders();
        for (AsciiString field : withheld) {
            List<String> values = headers.getAll(field);
            if (!values.isEmpty()) {
                removed.add(field, values);
                headers.remove(field);
            }
        }
        return removed;
    }
}
