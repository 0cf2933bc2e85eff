package io.telltale.server.profile;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.profile.AddedHeader;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.ProfileSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rewrites a request on its way to an origin as the origin's CDN profile does: the headers that CDN strips go, the
 * ones it adds or sets come in. Identifiers are the gateway's own request id in the CDN's shape and marked
 * {@code telltale}, never one the real CDN could have issued.
 */
public final class ProfileHeaders {
    private ProfileHeaders() {
    }

    /**
     * Applies the profile to the headers of a request about to go to an origin; the same again on a retry changes
     * nothing more.
     *
     * @param headers the origin request's headers, changed in place
     * @param profile the origin's profile; Telltale's own changes nothing
     * @param visitor the request as the gateway received it
     */
    public static void apply(HttpHeaders headers, CdnProfile profile, Visitor visitor) {
        if (profile == null || profile == CdnProfile.TELLTALE) {
            return;
        }
        ProfileSpec spec = profile.spec();
        List<String> stripped = spec.headersStripped().known() ? spec.headersStripped().value() : List.of();
        for (String name : stripped) {
            strip(headers, name);
        }
        List<AddedHeader> added = spec.headersAdded().known() ? spec.headersAdded().value() : List.of();
        for (AddedHeader header : added) {
            if (header.value() == AddedHeader.Value.CODINGS_IF_ACCEPTED
                    && !Codings.acceptsAll(headers.get(header.name()), header.literal())) {
                continue;
            }
            String value = value(header, visitor);
            if (!header.append()) {
                headers.set(header.name(), value);
            } else if (!headers.containsValue(header.name(), value, true)) {
                headers.add(header.name(), value);
            }
        }
    }

    /**
     * Returns whether a request to one of the site's origins may be rewritten by a profile, so that the origin must
     * get a copy of the visitor's headers: those still choose the error's format and are what the log shows.
     */
    public static boolean rewrites(SiteConfig site) {
        for (OriginConfig origin : site.origins()) {
            if (origin.profile() != null && origin.profile() != CdnProfile.TELLTALE) {
                return true;
            }
        }
        return false;
    }

    private static void strip(HttpHeaders headers, String name) {
        if (name.endsWith("*")) {
            String prefix = name.substring(0, name.length() - 1).toLowerCase(Locale.ROOT);
            List<String> matching = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    matching.add(h.getKey());
                }
            }
            matching.forEach(headers::remove);
        } else if (HttpHeaderNames.UPGRADE.contentEqualsIgnoreCase(name)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            // CloudFront keeps Upgrade for WebSocket [A9]; the gateway forwards only the upgrades a site allows.
            return;
        } else {
            headers.remove(name);
        }
    }

    private static String value(AddedHeader header, Visitor visitor) {
        return switch (header.value()) {
            case LITERAL, CODINGS_IF_ACCEPTED -> header.literal();
            case VISITOR_ADDRESS -> visitor.address();
            case VISITOR_SCHEME_JSON -> "{\"scheme\":\"" + (visitor.tls() ? "https" : "http") + "\"}";
            case ORIGIN_SCHEME -> visitor.originTls() ? "https" : "http";
            case SYNTHETIC_ID -> String.format(Locale.ROOT, header.literal(), visitor.requestId());
        };
    }

    /**
     * What a profile's added headers are made from.
     *
     * @param address the visitor's address as the gateway sees it
     * @param tls whether the visitor came over TLS
     * @param originTls whether the origin is reached over TLS
     * @param requestId the gateway's id of the request
     */
    public record Visitor(String address, boolean tls, boolean originTls, String requestId) {
    }
}
