package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.http.HostNames;
import io.telltale.core.http.LoopMarks;
import io.telltale.server.profile.ProfileLimits;
import java.net.InetAddress;
import java.net.URI;

/**
 * Decides whether a request may go on toward an origin: a method a reverse proxy serves (no CONNECT, and TRACE
 * only where the site allows it), one valid Host, a configured site for it, no loop through this gateway, a head
 * within the limits of the site's CDN profile, a declared body within the limit, and a gRPC call's
 * {@code grpc-timeout} in its grammar.
 */
public final class RequestAdmission {
    private RequestAdmission() {
    }

    /** Returns why the request cannot be forwarded, or null when it may be; fills in its host, site and trust. */
    static Failure admit(ProxyExchange e, Gateway gateway) {
        HttpRequest request = e.facts().request();
        HttpHeaders headers = request.headers();
        if (HttpMethod.CONNECT.equals(request.method())) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "CONNECT is not served by a reverse proxy.",
                    Evidence.builder().put("method", "CONNECT").build());
        }
        String authority = headers.get(HttpHeaderNames.HOST);
        String uri = request.uri();
        if ("*".equals(uri) && !HttpMethod.OPTIONS.equals(request.method())) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "The asterisk form of the request target is only for OPTIONS.",
                    Evidence.builder().put("target", uri).build());
        }
        if (!uri.startsWith("/") && !"*".equals(uri)) {
            authority = absoluteFormAuthority(uri);
            if (authority == null) {
                return Failure.of(FailureCode.MALFORMED_REQUEST, "The request target is not a valid URI.",
                        Evidence.builder().put("target", uri).build());
            }
        }
        if (authority == null) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "The request has no Host header.", Evidence.empty());
        }
        if (headers.getAll(HttpHeaderNames.HOST).size() > 1) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "The request has more than one Host header.",
                    Evidence.empty());
        }
        e.host = authority;
        String hostName = HostNames.parseAuthority(authority);
        if (hostName == null) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "The Host header is not a valid host.",
                    Evidence.builder().put("host", authority).build());
        }
        e.hostName = hostName;
        Site site = gateway.router().route(hostName);
        if (site == null) {
            return Failure.of(FailureCode.HOST_NOT_CONFIGURED,
                    HostNames.isAddress(hostName)
                            ? "Requests to an IP address are not served: no site is the default (hosts: [\"*\"])."
                            : "No site on this gateway is configured for this host name.",
                    Evidence.builder().put("host", hostName).build());
        }
        e.site = site;
        e.trusted = site.trust().trusts(headers, e.facts().clientAddress());
        if (HttpMethod.TRACE.equals(request.method()) && !site.config().allowTrace()) {
            return Failure.of(FailureCode.METHOD_NOT_ALLOWED,
                    "TRACE is answered by the gateway, not forwarded: this site does not allow it.",
                    Evidence.builder().put("method", "TRACE").put("site", site.name()).build());
        }
        String via = gateway.via();
        e.fromPeer = gateway.cluster() != null && gateway.cluster().cluster().fromPeer(headers);
        // A node of this cluster asking the owner of a key passed through a gateway of this name once, never more.
        int passes = e.fromPeer ? 1 : 0;
        if (LoopMarks.count(headers, HttpHeaderNames.VIA, via) > passes
                || LoopMarks.count(headers, "CDN-Loop", via) > passes) {
            return Failure.of(FailureCode.LOOP_DETECTED,
                    "The request already passed through this gateway: it would loop.",
                    Evidence.builder().put("via", headers.get(HttpHeaderNames.VIA))
                            .put("cdnLoop", headers.get("CDN-Loop")).build());
        }
        Failure overProfileLimit = ProfileLimits.check(request, site.config().profile());
        if (overProfileLimit != null) {
            return overProfileLimit;
        }
        long declared = HttpUtil.getContentLength(request, -1L);
        long max = gateway.limits().maxBodySize().bytes();
        if (declared > max) {
            return bodyTooLarge(declared, max);
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            e.expectContinue = true;
        }
        return GrpcDeadline.malformed(request);
    }

    private static String absoluteFormAuthority(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return null;
            }
            return parsed.getRawAuthority();
        } catch (java.net.URISyntaxException ex) {
            return null;
        }
    }

    /** Returns the failure of a body larger than the configured limit. */
    static Failure bodyTooLarge(long size, long max) {
        return Failure.of(FailureCode.REQUEST_BODY_TOO_LARGE,
                "The request body is larger than the " + max + " bytes this gateway accepts.",
                Evidence.builder().put("bodyBytes", size).put("maxBodySize", max).build());
    }
}
