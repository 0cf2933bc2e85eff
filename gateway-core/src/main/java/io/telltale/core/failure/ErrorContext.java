package io.telltale.core.failure;

import java.time.Instant;
import java.util.List;

/**
 * What the error renderer needs to know about the request besides the failure.
 *
 * @param requestId the request's id, as in {@code X-Request-Id}
 * @param site the site's name, or null when no site was chosen
 * @param nextHop the origin's {@code host:port}, or null when no origin was chosen
 * @param method the request method
 * @param host the request's Host
 * @param path the request's path and query
 * @param timeline the request's timeline, or null when none was started
 * @param trusted whether the client may see evidence (debug token, trusted network or the lab)
 * @param accept the request's {@code Accept} header, or null
 * @param gatewayName the gateway's name in {@code Proxy-Status}, {@code Cache-Status} and pages
 * @param cacheControl the {@code Cache-Control} for this error when the cache keeps it, or null for {@code no-store}
 * @param now the wall-clock instant of the answer, from the gateway's clock, against which certificate dates are
 *     told as "1 day ago"; null when the caller has no clock
 * @param attempts every origin attempt of the request in order, the failed one last; empty when none was made
 */
public record ErrorContext(
        String requestId,
        String site,
        String nextHop,
        String method,
        String host,
        String path,
        RequestTimeline timeline,
        boolean trusted,
        String accept,
        String gatewayName,
        String cacheControl,
        Instant now,
        List<AttemptRecord> attempts) {

    public ErrorContext {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** Returns a context without a wall-clock instant or origin attempts to list. */
    public ErrorContext(String requestId, String site, String nextHop, String method, String host, String path,
            RequestTimeline timeline, boolean trusted, String accept, String gatewayName, String cacheControl) {
        this(requestId, site, nextHop, method, host, path, timeline, trusted, accept, gatewayName, cacheControl, null,
                List.of());
    }
}
