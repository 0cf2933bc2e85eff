package io.telltale.core.failure;

/**
 * The failure catalogue: every way the gateway can fail to serve a request, with the status it answers.
 *
 * <p>This is the single source of truth. Response headers, bodies, metrics labels, {@code docs/errors.md}
 * and the lab scenarios are derived from it.
 */
public enum FailureCode {
    MALFORMED_REQUEST("MalformedRequest", 400, null, Phase.CLIENT, "http_request_error"),
    AMBIGUOUS_REQUEST_FRAMING("AmbiguousRequestFraming", 400, null, Phase.CLIENT, "http_request_error"),
    REQUEST_HEADER_TIMEOUT("RequestHeaderTimeout", 408, null, Phase.CLIENT, "http_request_error"),
    REQUEST_BODY_TOO_LARGE("RequestBodyTooLarge", 413, null, Phase.CLIENT, "http_request_error"),
    REQUEST_URI_TOO_LONG("RequestUriTooLong", 414, null, Phase.CLIENT, "http_request_error"),
    REQUEST_HEADER_TOO_LARGE("RequestHeaderTooLarge", 431, null, Phase.CLIENT, "http_request_error"),
    HOST_NOT_CONFIGURED("HostNotConfigured", 421, "1004", Phase.ROUTE, "destination_not_found"),
    LOOP_DETECTED("LoopDetected", 508, "1000", Phase.ROUTE, "proxy_loop_detected"),
    FUNCTION_VALIDATION_ERROR("FunctionValidationError", 502, null, Phase.EDGE_RULE, "proxy_configuration_error"),
    NON_S3_ORIGIN_DNS_ERROR("NonS3OriginDnsError", 502, "1001", Phase.DNS, "dns_error"),
    ORIGIN_IP_PROHIBITED("OriginIpProhibited", 502, "1000", Phase.DNS, "destination_ip_prohibited"),
    ORIGIN_PORT_NOT_ALLOWED("OriginPortNotAllowed", 502, "1000", Phase.CONNECT, "proxy_configuration_error"),
    ORIGIN_CONNECTION_REFUSED("OriginConnectionRefused", 521, "521", Phase.CONNECT, "connection_refused"),
    ORIGIN_CONNECT_TIMEOUT("OriginConnectTimeout", 522, "522", Phase.CONNECT, "connection_timeout"),
    ORIGIN_UNREACHABLE("OriginUnreachable", 523, "523", Phase.CONNECT, "destination_ip_unroutable"),
    ORIGIN_CONNECTION_LIMIT("OriginConnectionLimit", 503, null, Phase.CONNECT, "connection_limit_reached"),
    ORIGIN_SSL_HANDSHAKE_FAILED("OriginSslHandshakeFailed", 502, "525", Phase.TLS, "tls_protocol_error"),
    ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH("OriginSslCertificateNameMismatch", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_CERTIFICATE_EXPIRED("OriginSslCertificateExpired", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID("OriginSslCertificateNotYetValid", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_SELF_SIGNED_CERTIFICATE("OriginSslSelfSignedCertificate", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_UNTRUSTED_ROOT("OriginSslUntrustedRoot", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_INCOMPLETE_CHAIN("OriginSslIncompleteChain", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_SSL_CHAIN_OUT_OF_ORDER("OriginSslChainOutOfOrder", 502, "526", Phase.TLS, "tls_certificate_error"),
    ORIGIN_RESPONSE_TIMEOUT("OriginResponseTimeout", 524, "524", Phase.RESPONSE, "http_response_timeout"),
    ORIGIN_CONNECTION_CLOSED("OriginConnectionClosed", 502, "520", Phase.RESPONSE, "connection_terminated"),
    ORIGIN_INVALID_RESPONSE("OriginInvalidResponse", 502, "520", Phase.RESPONSE, "http_protocol_error"),
    ORIGIN_HEADER_TOO_BIG("OriginHeaderTooBig", 502, "520", Phase.RESPONSE, "http_response_header_section_size");

    private final String code;
    private final int status;
    private final String edgeNumber;
    private final Phase phase;
    private final String proxyStatusError;

    FailureCode(String code, int status, String edgeNumber, Phase phase, String proxyStatusError) {
        this.code = code;
        this.status = status;
        this.edgeNumber = edgeNumber;
        this.phase = phase;
        this.proxyStatusError = proxyStatusError;
    }

    /** Returns the stable machine-readable code, e.g. {@code NonS3OriginDnsError}. */
    public String code() {
        return code;
    }

    /** Returns the HTTP status the gateway answers with. */
    public int status() {
        return status;
    }

    /** Returns the CDN-style edge error number (1001, 521, ...), or null when there is none. */
    public String edgeNumber() {
        return edgeNumber;
    }

    /** Returns the step at which this failure happens. */
    public Phase phase() {
        return phase;
    }

    /** Returns the default RFC 9209 Proxy-Status error type. */
    public String proxyStatusError() {
        return proxyStatusError;
    }
}
