package io.telltale.core.rules;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The request data rule variables read.
 *
 * @param clientAddress the client's IP address as text, for {@code ${client.address}}
 * @param host the request's Host, for {@code ${request.host}}
 * @param path the request's path, for {@code ${request.path}}
 * @param requestId the request id, for {@code ${request.id}}
 * @param requestHeaders the viewer request's headers, for {@code ${request.header.NAME}}
 */
public record RuleContext(String clientAddress, String host, String path, String requestId, HttpHeaders requestHeaders) {
}
