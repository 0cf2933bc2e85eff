package io.telltale.server.trace;

/**
 * What a span tells of a finished exchange, as the access log has it.
 *
 * @param epochMillis when the request arrived
 * @param durationMillis from arrival to the end
 * @param requestId the request id
 * @param client the client's address
 * @param host the Host the client asked for
 * @param method the method
 * @param path the request target
 * @param protocol the client's protocol
 * @param site the site's name, or {@code -}
 * @param status the status sent, 0 when none was
 * @param cache the cache result
 * @param code the catalogue code of its failure, or null when it had none
 */
public record ExchangeSummary(long epochMillis, long durationMillis, String requestId, String client, String host,
        String method, String path, String protocol, String site, int status, String cache, String code) {
}
