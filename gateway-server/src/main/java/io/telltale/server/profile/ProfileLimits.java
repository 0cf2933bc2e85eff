package io.telltale.server.profile;

import io.netty.handler.codec.http.HttpRequest;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.ProfileSpec;
import io.telltale.core.profile.RequestLimit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses a visitor's request that the site's CDN would refuse before contacting the origin: a URL, header section,
 * header line or number of headers over that CDN's limit. The gateway's own {@code limits} apply first, at the edge.
 */
public final class ProfileLimits {
    /** A line end, as each header line and the request line carry on the wire. */
    private static final int CRLF = 2;

    private ProfileLimits() {
    }

    /** Returns why the profile's CDN would refuse the request, or null when it would forward it. */
    public static Failure check(HttpRequest request, CdnProfile profile) {
        if (profile == null || !profile.spec().requestLimits().known()) {
            return null;
        }
        ProfileSpec spec = profile.spec();
        List<RequestLimit> limits = spec.requestLimits().value();
        if (limits.isEmpty()) {
            return null;
        }
        Measured m = Measured.of(request);
        for (RequestLimit limit : limits) {
            long size = m.size(limit.measure());
            if (size > limit.max()) {
                return refused(profile, limit, size);
            }
        }
        return null;
    }

    private static Failure refused(CdnProfile profile, RequestLimit limit, long size) {
        String vendor = profile.spec().vendor();
        boolean uri = limit.measure() == RequestLimit.Measure.URI;
        String what = switch (limit.measure()) {
            case URI -> "URL is " + size + " bytes, over the " + limit.max() + " bytes";
            case HEAD -> "request line and headers are " + size + " bytes, over the " + limit.max() + " bytes";
            case HEADERS -> "headers are " + size + " bytes, over the " + limit.max() + " bytes";
            case FIELD -> "largest header line is " + size + " bytes, over the " + limit.max() + " bytes";
            case FIELDS -> "request has " + size + " header fields, over the " + limit.max();
        };
        return Failure.of(uri ? FailureCode.REQUEST_URI_TOO_LONG : FailureCode.REQUEST_HEADER_TOO_LARGE,
                "The request's " + what + " that " + vendor + " forwards to an origin [" + limit.source() + "].",
                Evidence.builder().put("profile", profile.configName()).put("limit", limit.measure().name().toLowerCase(Locale.ROOT)).put("size", size).put("max", limit.max())
                        .put("source", limit.source()).build());
    }

    /** The sizes of one request, each as a {@link RequestLimit.Measure} counts it. */
    private record Measured(long uri, long head, long headers, long largestField, long fields) {
        static Measured of(HttpRequest request) {
            long headers = 0;
            long largest = 0;
            long fields = 0;
            for (Map.Entry<String, String> h : request.headers()) {
                long line = bytes(h.getKey()) + 2 + bytes(h.getValue()) + CRLF;
                headers += line;
                largest = Math.max(largest, line);
                fields++;
            }
            long uri = bytes(request.uri());
            long requestLine = bytes(request.method().name()) + 1 + uri + 1 + bytes(request.protocolVersion().text())
                    + CRLF;
            return new Measured(uri, requestLine + headers, headers, largest, fields);
        }

        long size(RequestLimit.Measure measure) {
            return switch (measure) {
                case URI -> uri;
                case HEAD -> head;
                case HEADERS -> headers;
                case FIELD -> largestField;
                case FIELDS -> fields;
            };
        }

        private static long bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
