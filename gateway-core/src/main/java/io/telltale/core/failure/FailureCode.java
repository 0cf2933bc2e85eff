package io.telltale.core.failure;

import static io.telltale.core.failure.AlsoKnownAs.list;

import io.netty.util.NetUtil;
import java.util.List;

/**
 * The failure catalogue: every way the gateway can fail to serve a request, with the status it answers.
 *
 * <p>This is the single source of truth. Response headers, bodies, metrics labels, {@code docs/errors.md}
 * and the lab scenarios are derived from it. Owner advice holds command templates whose
 * {@code {name}} placeholders are filled from the evidence facts of the same name
 * (see {@link TemplateFiller}).
 *
 * <p>The file is longer than 400 lines on purpose: it is data, one entry per failure, and a reader looking up a
 * code should find its status, phase, texts and other vendors' names in one place.
 */
public enum FailureCode {
    MALFORMED_REQUEST("MalformedRequest", 400, null, Phase.CLIENT, "http_request_error",
            "The request could not be parsed",
            "The request line or a header was not valid HTTP/1.1, so the gateway refused it before choosing a site.",
            "Check the URL for spaces or unusual characters and try again; a browser extension or proxy may be mangling requests.",
            List.of("Reproduce with `curl -v --http1.1 'http://{request.host}{request.path}'` and compare the raw request line and headers."),
            list("CloudFront", "400 InvalidRequest", "Cloudflare", "400 Bad Request", "nginx", "client sent invalid request (400)",
                    "Envoy", "400 http1.codec_error", "RFC 9209", "http_request_error")),
    AMBIGUOUS_REQUEST_FRAMING("AmbiguousRequestFraming", 400, null, Phase.CLIENT, "http_request_error",
            "The request's length was ambiguous",
            "The request carried both Content-Length and Transfer-Encoding, or several different lengths; forwarding it could let one request smuggle another (RFC 9112 section 6.3).",
            "Retry without the proxy or tool that sent the request; if you wrote the client, send exactly one of Content-Length or Transfer-Encoding: chunked.",
            List.of("Find the client or intermediary that adds a second framing header; the gateway never forwards such requests."),
            list("CloudFront", "400 InvalidRequestHeader", "Cloudflare", "400 Bad Request", "nginx", "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time (400)",
                    "Envoy", "400 http1.content_length_and_chunked_not_allowed", "RFC 9209", "http_request_error")),
    REQUEST_HEADER_TIMEOUT("RequestHeaderTimeout", 408, null, Phase.CLIENT, "http_request_error",
            "The request headers arrived too slowly",
            "The client opened a connection but did not finish sending the request headers within the gateway's header timeout.",
            "Retry on a more stable connection.",
            List.of("If legitimate clients are slow, raise `limits.headerTimeout`; a burst of these usually means a slowloris-style attack."),
            list("CloudFront", "408 ClientCommError", "Cloudflare", "408 Request Timeout", "nginx", "client_header_timeout (408)",
                    "Envoy", "408 request_header_timeout", "RFC 9209", "http_request_error")),
    REQUEST_BODY_TOO_LARGE("RequestBodyTooLarge", 413, null, Phase.CLIENT, "http_request_error",
            "The request body is larger than allowed",
            "The request body exceeded the gateway's configured maximum, so it was refused without being sent to the origin.",
            "Send a smaller body, for example by uploading the file in parts.",
            List.of("Raise `limits.maxBodySize` if bodies of this size are expected."),
            list("CloudFront", "413 Request Entity Too Large", "Cloudflare", "413 Payload Too Large", "nginx", "client intended to send too large body (413)",
                    "Envoy", "413 request_payload_too_large", "RFC 9209", "http_request_error")),
    REQUEST_URI_TOO_LONG("RequestUriTooLong", 414, null, Phase.CLIENT, "http_request_error",
            "The request URL is too long",
            "The request line exceeded the gateway's configured maximum length.",
            "Shorten the URL, for example by sending long parameters in a POST body.",
            List.of("Raise `limits.maxRequestLine` if URLs of this length are expected."),
            list("CloudFront", "414 URI Too Long (limit 8192 bytes)", "Cloudflare", "414 URI Too Long (limit 16 KB)", "nginx", "client sent too long URI (414)",
                    "Envoy", "414 uri_too_long", "RFC 9209", "http_request_error")),
    REQUEST_HEADER_TOO_LARGE("RequestHeaderTooLarge", 431, null, Phase.CLIENT, "http_request_error",
            "The request headers are too large",
            "The request header section exceeded the gateway's configured maximum size.",
            "Clear this site's cookies and try again; oversized cookies are the usual cause.",
            List.of("Raise `limits.maxHeaderSize`, or find the cookie or header that keeps growing."),
            list("CloudFront", "494 Request Header Too Large (limit 20 KB)", "Cloudflare", "520 or 400 Request Header Or Cookie Too Large", "nginx", "client sent too long header line (400/494)",
                    "Envoy", "431 header_overflow", "RFC 9209", "http_request_error")),
    HTTP2_STREAM_LIMIT("Http2StreamLimit", 429, null, Phase.CLIENT, "http_request_denied",
            "The client opened more HTTP/2 streams than allowed",
            "The client opened a stream while it already had the most concurrent streams one connection may have, so the gateway refused that stream (RST_STREAM REFUSED_STREAM) without reading it.",
            "Retry the request; browsers do this on their own once an earlier request on the connection finishes.",
            List.of("If a legitimate client needs more parallel requests, raise `server.http2.maxConcurrentStreams`; a client that ignores the SETTINGS limit is misbehaving."),
            list("CloudFront", "no published code (stream refused)", "Cloudflare", "no published code (stream refused)",
                    "nginx", "concurrent streams exceeded (http2_max_concurrent_streams)",
                    "Envoy", "http2.max_concurrent_streams (stream refused)", "RFC 9209", "http_request_denied")),
    HTTP2_HEADER_LIST_TOO_LARGE("Http2HeaderListTooLarge", 431, null, Phase.CLIENT, "http_request_error",
            "The HTTP/2 request headers are too large",
            "The request's decoded header list exceeded the gateway's HTTP/2 limit; a header list far beyond it (an HPACK bomb or an endless CONTINUATION sequence) ends the connection with GOAWAY.",
            "Clear this site's cookies and try again; oversized cookies are the usual cause.",
            List.of("Raise `server.http2.maxHeaderListSize` if headers of this size are expected, or find the cookie or header that keeps growing."),
            list("CloudFront", "494 Request Header Too Large", "Cloudflare", "400 Request Header Or Cookie Too Large",
                    "nginx", "client exceeded http2_max_header_size limit (connection closed)",
                    "Envoy", "431 http2.header_overflow", "RFC 9209", "http_request_error")),
    HTTP2_CONTINUATION_FLOOD("Http2ContinuationFlood", 400, null, Phase.CLIENT, "http_request_denied",
            "The client sent a flood of HTTP/2 CONTINUATION frames",
            "The client split a header block into more small CONTINUATION frames in a row than allowed (the CONTINUATION flood of CVE-2024-27316 and its kin), so the gateway ended the connection with GOAWAY ENHANCE_YOUR_CALM.",
            "Retry with another client; a normal browser never sends headers this way.",
            List.of("Block the client's address if it keeps coming back; raise `server.http2.maxSmallContinuationFrames` only for a known client that needs it."),
            list("CloudFront", "no published code (connection closed)", "Cloudflare", "no published code (connection closed)",
                    "nginx", "no dedicated message (the header buffers bound the block)",
                    "Envoy", "http2.too_many_header_frames / http2.inbound_empty_frames_flood", "RFC 9209", "http_request_denied")),
    HTTP2_FRAME_FLOOD("Http2FrameFlood", 400, null, Phase.CLIENT, "http_request_denied",
            "The client sent a flood of HTTP/2 control or empty frames",
            "The client sent more SETTINGS or PING frames per window, or more empty DATA frames in a row, than allowed (the floods of CVE-2019-9512, CVE-2019-9515 and CVE-2019-9518), so the gateway ended the connection with GOAWAY ENHANCE_YOUR_CALM.",
            "Retry with another client; a normal browser never sends frames this way.",
            List.of("Block the client's address if it keeps coming back; the budgets are `server.http2.maxControlFramesPerWindow` and `server.http2.maxEmptyDataFrames` over `server.http2.floodWindow`."),
            list("CloudFront", "no published code (connection closed)", "Cloudflare", "no published code (connection closed)",
                    "nginx", "http2 flood detected (connection closed)",
                    "Envoy", "http2.outbound_control_flood / http2.inbound_empty_frames_flood", "RFC 9209", "http_request_denied")),
    HTTP2_RAPID_RESET("Http2RapidReset", 429, null, Phase.CLIENT, "http_request_denied",
            "The client reset HTTP/2 streams faster than allowed",
            "The client opened and cancelled more streams per window than the budget allows (the rapid reset attack of CVE-2023-44487), so the gateway ended the connection with GOAWAY ENHANCE_YOUR_CALM.",
            "Retry with another client; a normal browser cancels far fewer requests.",
            List.of("Block the client's address if it keeps coming back; the budget is `server.http2.maxResetsPerWindow` over `server.http2.floodWindow`."),
            list("CloudFront", "no published code (connection closed)", "Cloudflare", "no published code (connection closed)",
                    "nginx", "no dedicated message (keepalive_requests bounds the streams of a connection)",
                    "Envoy", "http.downstream_rq_too_many_premature_resets", "RFC 9209", "http_request_denied")),
    HTTP2_PROTOCOL_ERROR("Http2ProtocolError", 400, null, Phase.CLIENT, "http_request_error",
            "The client broke the HTTP/2 protocol",
            "The client sent frames that HTTP/2 does not allow (a bad preface, a frame on the wrong stream, invalid header fields), so the gateway refused the stream or ended the connection with GOAWAY naming the error.",
            "Retry with another browser or client; a proxy or extension in between may be corrupting the connection.",
            List.of("Reproduce with `curl -v --http2 'https://{request.host}{request.path}'` and look at the client's frames with `nghttp -nv`."),
            list("CloudFront", "400 (protocol error)", "Cloudflare", "400 Bad Request", "nginx", "client sent invalid HTTP/2 frame (connection closed)",
                    "Envoy", "http2.rx_messaging_error", "RFC 9209", "http_request_error")),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405, null, Phase.CLIENT, "http_request_denied",
            "The request method is not allowed here",
            "The request used TRACE, which echoes the request back and can expose credentials to scripts (cross-site tracing); the gateway answers it itself unless the site allows TRACE.",
            "Use GET, HEAD or another method the site serves.",
            List.of("If the origin must receive TRACE, set `allowTrace: true` on the site."),
            list("CloudFront", "403 for a method outside the distribution's allowed methods", "Cloudflare", "not documented",
                    "nginx", "405 Not Allowed (TRACE is always refused)", "Envoy", "no built-in refusal: forwarded",
                    "RFC 9209", "http_request_denied")),
    HTTP_VERSION_NOT_SUPPORTED("HttpVersionNotSupported", 505, null, Phase.CLIENT, "http_request_error",
            "The request's HTTP version is not supported",
            "The request line named an HTTP version other than HTTP/1.x on an HTTP/1.1 connection; HTTP/2 and HTTP/3 are negotiated, never announced in a request line.",
            "Use a client that speaks HTTP/1.1 here, or let it negotiate HTTP/2 with ALPN over HTTPS.",
            List.of("Find the client or intermediary that writes `HTTP/2.0` or `HTTP/3.0` into an HTTP/1 request line."),
            list("CloudFront", "not documented", "Cloudflare", "not documented",
                    "nginx", "client sent unsupported HTTP version (505)", "Envoy", "400 http1.codec_error",
                    "RFC 9209", "http_request_error")),
    HOST_NOT_CONFIGURED("HostNotConfigured", 421, "1004", Phase.ROUTE, "destination_not_found",
            "No site is configured for this host name",
            "The request's Host header names no site that this gateway serves, so there is no origin to forward it to.",
            "Check the address for typos; if it is correct, the site is not set up on this gateway yet.",
            List.of("Add `{request.host}` to a site's `hosts` list (exact name or `*.` wildcard) in the gateway config.",
                    "Or point the DNS name `{request.host}` away from this gateway: `dig +short {request.host}`."),
            list("CloudFront", "403 The request could not be satisfied (CNAME not associated with the distribution)", "Cloudflare", "1004 Host Not Configured to Serve Web Traffic / 1018 Could not find host",
                    "nginx", "no error: the default server answers", "Envoy", "404 NR route_not_found", "RFC 9209", "destination_not_found")),
    LOOP_DETECTED("LoopDetected", 508, "1000", Phase.ROUTE, "proxy_loop_detected",
            "The request looped back through this gateway",
            "The request already carried this gateway's own id in Via or CDN-Loop (RFC 8586), so the origin sent it back to the gateway.",
            "Nothing; the site is misconfigured. Try again later.",
            List.of("Make sure the origin `{origin.host}` is not this gateway: `dig +short {origin.host}` must not list the gateway's own address.",
                    "Look for the gateway's pseudonym in the request headers: `curl -sv -o /dev/null http://{request.host}/ 2>&1 | grep -i -e via -e cdn-loop`."),
            list("CloudFront", "403 (loop through the same distribution)", "Cloudflare", "1000 DNS points to prohibited IP / Worker fetching its own domain (522)",
                    "nginx", "none built in", "Envoy", "cdn_loop filter rejection", "RFC 9209", "proxy_loop_detected")),
    FUNCTION_VALIDATION_ERROR("FunctionValidationError", 502, null, Phase.EDGE_RULE, "proxy_configuration_error",
            "An edge rule produced an invalid header",
            "A header rule of this site produced a value that cannot be sent (a control character, CR or LF, or more than 8 KiB), so the request was stopped.",
            "Try again without unusual characters in the URL or headers; if it persists, the site's rules need fixing.",
            List.of("Fix the rule `{rule}` of site `{site}`: the variable `{variable}` produced the invalid value.",
                    "Rules may only use request data that is valid in a header; derive values from `${request.host}` or a fixed text instead."),
            list("CloudFront", "502 FunctionValidationError / LambdaValidationError", "Cloudflare", "1035-1041 Invalid rewrite rule",
                    "nginx", "n/a", "Envoy", "filter-specific local reply", "RFC 9209", "proxy_configuration_error")),
    NON_S3_ORIGIN_DNS_ERROR("NonS3OriginDnsError", 502, "1001", Phase.DNS, "dns_error",
            "The origin's DNS name could not be resolved",
            "The gateway asked its resolver for the origin's address and got no usable answer (NXDOMAIN, no records, SERVFAIL, REFUSED, a timeout, a lame or bogus delegation); the exact cause is in the rcode and info-code.",
            "Try again in a few minutes; DNS problems are often fixed quickly by the site owner.",
            List.of("Ask the gateway's resolver: `dig @{resolver} {origin.host} A` and `dig @{resolver} {origin.host} AAAA`.",
                    "Find the zone's name servers and ask each directly: `dig @{resolver} {origin.host} NS`, then `dig @<ns> {origin.host} A +norecurse`.",
                    "For SERVFAIL, check DNSSEC: `dig @{resolver} {origin.host} A +cd` succeeding means the signatures are bogus."),
            list("CloudFront", "502 OriginDnsError (NonS3OriginDnsError)", "Cloudflare", "1016 Origin DNS error (HTTP 530); 1001 DNS resolution error",
                    "nginx", "<name> could not be resolved (3: Host not found) (502)", "Envoy", "503 DF dns_resolution_failure", "RFC 9209", "dns_error (rcode, info-code) / dns_timeout")),
    ORIGIN_IP_PROHIBITED("OriginIpProhibited", 502, "1000", Phase.DNS, "destination_ip_prohibited",
            "The origin resolved to a prohibited address",
            "The origin's name resolved to a loopback, private, link-local or metadata address, which the gateway refuses to connect to unless the site allows that network.",
            "Nothing; the site's DNS or configuration needs fixing.",
            List.of("Check what `{origin.host}` resolves to: `dig @{resolver} +short {origin.host}` (the gateway saw {origin.address}).",
                    "If this address is intended, add its network to the site's `allowedOriginNetworks`."),
            list("CloudFront", "504 (private origins are unreachable)", "Cloudflare", "1000 DNS points to prohibited IP (403)",
                    "nginx", "none: connects anyway", "Envoy", "none built in", "RFC 9209", "destination_ip_prohibited")),
    ORIGIN_PORT_NOT_ALLOWED("OriginPortNotAllowed", 502, "1000", Phase.CONNECT, "proxy_configuration_error",
            "The origin's port is not allowed",
            "The origin port is outside what the site allows (80, 443 and 1024-65535 by default, or the site's `allowedOriginPorts`).",
            "Nothing; the site's configuration needs fixing.",
            List.of("Serve the origin on port 80, 443 or 1024-65535, or add {origin.port} to the site's `allowedOriginPorts`."),
            list("CloudFront", "config rejected: origin ports 80, 443, 1024-65535 only", "Cloudflare", "only proxied ports 80, 8080, 8880, 2052, 2082, 2086, 2095, 443, 2053, 2083, 2087, 2096, 8443",
                    "nginx", "n/a", "Envoy", "n/a", "RFC 9209", "proxy_configuration_error")),
    ORIGIN_CONNECTION_REFUSED("OriginConnectionRefused", 521, "521", Phase.CONNECT, "connection_refused",
            "The origin refused the connection",
            "The origin's host answered the TCP connection attempt with a reset: nothing is listening on that port, or a firewall rejects the gateway.",
            "Try again in a few minutes; the site's web server appears to be down.",
            List.of("Test the port from the gateway host: `nc -vz {origin.address} {origin.port}`.",
                    "On the origin host, check that the server listens: `ss -ltnp 'sport = :{origin.port}'`.",
                    "Check the origin's firewall for REJECT rules against the gateway's address."),
            list("CloudFront", "502 OriginConnectError", "Cloudflare", "521 Web server is down",
                    "nginx", "connect() failed (111: Connection refused) while connecting to upstream (502)", "Envoy", "503 UF delayed_connect_error:_Connection_refused", "RFC 9209", "connection_refused")),
    ORIGIN_CONNECT_TIMEOUT("OriginConnectTimeout", 522, "522", Phase.CONNECT, "connection_timeout",
            "The connection to the origin timed out",
            "The gateway sent a TCP SYN to the origin and got no answer within the connect timeout: the packets are being dropped or the host is down.",
            "Try again in a few minutes; the site's server is not answering.",
            List.of("Test the port from the gateway host: `nc -vz -w 5 {origin.address} {origin.port}`.",
                    "Trace the path: `traceroute -T -p {origin.port} {origin.address}`.",
                    "Check firewalls and security groups for DROP rules against the gateway's address, and that the origin host is up."),
            list("CloudFront", "504 OriginCommError", "Cloudflare", "522 Connection timed out",
                    "nginx", "upstream timed out (110: Connection timed out) while connecting to upstream (504)", "Envoy", "503 UF connection timeout", "RFC 9209", "connection_timeout")),
    ORIGIN_UNREACHABLE("OriginUnreachable", 523, "523", Phase.CONNECT, "destination_ip_unroutable",
            "The origin is unreachable",
            "The gateway's host has no route to the origin's address (no route to host, or network unreachable), so no connection could be attempted.",
            "Try again later; the site's server cannot be reached from the gateway.",
            List.of("Check the route from the gateway host: `ip route get {origin.address}`.",
                    "Trace the path: `traceroute -T -p {origin.port} {origin.address}`.",
                    "Check that `{origin.host}` resolves to the address you expect: `dig @{resolver} +short {origin.host}`."),
            list("CloudFront", "502 OriginConnectError", "Cloudflare", "523 Origin is unreachable",
                    "nginx", "connect() failed (113: No route to host) / (101: Network is unreachable) (502)", "Envoy", "503 UF remote_connection_failure", "RFC 9209", "destination_ip_unroutable")),
    ORIGIN_ADDRESSES_FAILED("OriginAddressesFailed", 502, null, Phase.CONNECT, "destination_unavailable",
            "Every address of the origin failed",
            "The origin's name resolved to several addresses and the gateway tried each of them, staggered as Happy Eyeballs (RFC 8305) does, but they failed in different ways, so no connection could be made.",
            "Try again in a few minutes; the site's servers are not accepting connections.",
            List.of("Test each address from the gateway host: `nc -vz -w 5 <address> {origin.port}` for every address of `dig @{resolver} {origin.host} A` and `AAAA`.",
                    "Remove decommissioned addresses from the DNS records of `{origin.host}`, or bring their servers back."),
            list("CloudFront", "502 OriginConnectError", "Cloudflare", "521 / 522 (for the last address tried)",
                    "nginx", "no live upstreams (502) after trying every address of the name", "Envoy", "503 UF (last address's reason)", "RFC 9209", "destination_unavailable")),
    NO_HEALTHY_ORIGIN("NoHealthyOrigin", 503, null, Phase.CONNECT, "destination_unavailable",
            "No origin of the group is available",
            "Every origin of the site's origin group is left out for now: it asked for a pause (a 503 with Retry-After), passive outlier detection ejected it, or its active health checks found it unhealthy, so the gateway did not send the request anywhere.",
            "Try again in a few minutes; the site's servers are unavailable for now.",
            List.of("See which origins are left out, why and since when in the evidence, or on the admin listener's `/origins`.",
                    "Bring back the origins of site `{site}` for the reason named for each (maintenance, overload, a failing health check), or add an origin to the group."),
            list("CloudFront", "503 (origin group exhausted)", "Cloudflare", "503 No healthy origins (Load Balancing)",
                    "nginx", "no live upstreams (502)", "Envoy", "503 UH no_healthy_upstream", "RFC 9209", "destination_unavailable")),
    RETRY_BUDGET_EXHAUSTED("RetryBudgetExhausted", 503, null, Phase.CONNECT, "destination_unavailable",
            "The retry budget is spent",
            "The origin failed and another origin of the group could have been tried, but so many retries were already in flight that one more could have multiplied the load on the origins, so the gateway gave up instead.",
            "Try again in a moment.",
            List.of("See the failed attempt and the budget in the evidence; find out why origins of site `{site}` fail so often.",
                    "If retries are expected at this rate, raise the group's `retryBudgetPercent` or `minRetryConcurrency`."),
            list("CloudFront", "n/a", "Cloudflare", "n/a",
                    "nginx", "n/a (proxy_next_upstream_tries reached)", "Envoy", "503 URX upstream_retry_limit_exceeded", "RFC 9209", "destination_unavailable")),
    ORIGIN_CONNECTION_LIMIT("OriginConnectionLimit", 503, null, Phase.CONNECT, "connection_limit_reached",
            "Too many connections to the origin are open",
            "Every connection the gateway may open to this origin is busy, so the request could not be sent.",
            "Try again in a moment.",
            List.of("Raise the origin's `maxConnections`, or find out why responses from `{origin.host}` are slow (see the upstream timings in the metrics)."),
            list("CloudFront", "503 CapacityExceeded", "Cloudflare", "n/a",
                    "nginx", "no live upstreams (502)", "Envoy", "503 UO upstream_overflow", "RFC 9209", "connection_limit_reached")),
    ORIGIN_SSL_HANDSHAKE_FAILED("OriginSslHandshakeFailed", 502, "525", Phase.TLS, "tls_protocol_error",
            "The TLS handshake with the origin failed",
            "The gateway and the origin could not agree on TLS: no common protocol version or cipher, a TLS alert from the origin, or a port that does not speak TLS at all.",
            "Try again later; the site's secure connection is misconfigured.",
            List.of("Repeat the handshake: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -tls1_2`.",
                    "Check that the port speaks TLS (a plain HTTP port answers with `wrong version number`) and offers TLS 1.2 or 1.3 with modern ciphers."),
            list("CloudFront", "502 (origin SSL protocols and ciphers do not match)", "Cloudflare", "525 SSL handshake failed",
                    "nginx", "SSL_do_handshake() failed ... while SSL handshaking to upstream (502)", "Envoy", "503 UF TLS_error:...", "RFC 9209", "tls_protocol_error / tls_alert_received")),
    ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH("OriginSslCertificateNameMismatch", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate is for another name",
            "The certificate the origin presented does not list the name the gateway verifies (the SNI name) in its subject alternative names.",
            "Try again later; the site's certificate is misconfigured.",
            List.of("See the names in the certificate: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -verify_hostname {sni} -showcerts </dev/null | openssl x509 -noout -ext subjectAltName`.",
                    "Install a certificate that covers `{sni}`, or set the origin's `sni` to a name the certificate covers."),
            list("CloudFront", "502 (certificate does not match the origin domain)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate does not match \"<name>\" while SSL handshaking to upstream (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_CERTIFICATE_EXPIRED("OriginSslCertificateExpired", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate has expired",
            "The certificate the origin presented is past its notAfter date.",
            "Try again later; the site's certificate needs renewing.",
            List.of("See the dates: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} </dev/null | openssl x509 -noout -dates`.",
                    "Renew the certificate and reload the origin server; check that automatic renewal runs."),
            list("CloudFront", "502 (invalid origin certificate)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (10:certificate has expired) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID("OriginSslCertificateNotYetValid", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate is not valid yet",
            "The certificate the origin presented has a notBefore date in the future, or one of the two clocks is wrong.",
            "Try again later.",
            List.of("See the dates: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} </dev/null | openssl x509 -noout -dates`.",
                    "Check both clocks (`date -u` on the gateway and the origin host) and that NTP runs."),
            list("CloudFront", "502 (invalid origin certificate)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (9:certificate is not yet valid) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_SELF_SIGNED_CERTIFICATE("OriginSslSelfSignedCertificate", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate is self-signed",
            "The origin presented a certificate that signs itself and is not in the gateway's trust store.",
            "Try again later; the site's certificate is not trusted.",
            List.of("See who issued it: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -showcerts </dev/null | openssl x509 -noout -subject -issuer`.",
                    "Install a certificate from a public CA, or add this certificate to the origin's `caBundle` if the origin is yours."),
            list("CloudFront", "502 (certificate must be issued by a trusted CA)", "Cloudflare", "526 Invalid SSL certificate (Full strict)",
                    "nginx", "upstream SSL certificate verify error: (18:self-signed certificate) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_UNTRUSTED_ROOT("OriginSslUntrustedRoot", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate chains to an untrusted root",
            "The origin's chain is complete but ends at a root CA that is not in the gateway's trust store.",
            "Try again later; the site's certificate is not trusted.",
            List.of("See the chain: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -showcerts </dev/null`.",
                    "Use a certificate from a publicly trusted CA, or add the private root to the origin's `caBundle`."),
            list("CloudFront", "502 (CA must be trusted by Mozilla)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (19:self-signed certificate in certificate chain) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_INCOMPLETE_CHAIN("OriginSslIncompleteChain", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate chain is incomplete",
            "The origin sent its certificate without the intermediate certificate that links it to a trusted root.",
            "Try again later; the site's certificate is misconfigured.",
            List.of("See what the origin sends: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -showcerts </dev/null` (expect the leaf and every intermediate).",
                    "Configure the origin server with the full chain file (leaf first, then intermediates), e.g. `fullchain.pem`."),
            list("CloudFront", "502 (incomplete chain; TCP connection dropped)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (21:unable to verify the first certificate) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_CHAIN_OUT_OF_ORDER("OriginSslChainOutOfOrder", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate chain is out of order",
            "The origin sent its certificates in the wrong order; each certificate must be followed by its issuer (RFC 8446 section 4.4.2), and this gateway, like CloudFront, is strict about it.",
            "Try again later; the site's certificate is misconfigured.",
            List.of("See the order: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -showcerts </dev/null | grep -e ' s:' -e ' i:'`.",
                    "Put the leaf first and each issuer after the certificate it signed, or set the origin's `chainOrder` to `lenient`."),
            list("CloudFront", "502 (certificates out of order)", "Cloudflare", "n/a",
                    "nginx", "usually accepted (OpenSSL reorders)", "Envoy", "usually accepted", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_CERTIFICATE_WRONG_PURPOSE("OriginSslCertificateWrongPurpose", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate is not for TLS servers",
            "The certificate the origin presented has an extended key usage without TLS server authentication (serverAuth), for example a certificate made for client authentication or code signing.",
            "Try again later; the site's certificate is misconfigured.",
            List.of("See the key usage: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} </dev/null | openssl x509 -noout -ext extendedKeyUsage`.",
                    "Reissue the certificate with `extendedKeyUsage = serverAuth` (every public CA's TLS server profile has it) and install it on the origin."),
            list("CloudFront", "502 (invalid origin certificate)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (26:unsuitable certificate purpose) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_WEAK_KEY("OriginSslWeakKey", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate key is too small",
            "A certificate in the origin's chain has a key smaller than the gateway accepts (RSA or DSA under 2048 bits, EC under 256 bits), the CA/Browser Forum minimum.",
            "Try again later; the site's certificate needs replacing.",
            List.of("See the key: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} </dev/null | openssl x509 -noout -text | grep 'Public-Key'`.",
                    "Make a new key of at least 2048 bits (RSA) or P-256 (EC), get a certificate for it and install both on the origin."),
            list("CloudFront", "502 (origin certificate key size not supported)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (66:EE certificate key too weak) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_SSL_WEAK_SIGNATURE("OriginSslWeakSignature", 502, "526", Phase.TLS, "tls_certificate_error",
            "The origin's certificate has a broken signature algorithm",
            "A certificate in the origin's chain is signed with SHA-1 or MD5, whose collisions let anyone forge such a signature, so the gateway does not accept it.",
            "Try again later; the site's certificate needs replacing.",
            List.of("See the algorithm: `openssl s_client -connect {origin.address}:{origin.port} -servername {sni} -showcerts </dev/null | grep -i 'signature algorithm'`.",
                    "Get a certificate (and intermediate) signed with SHA-256 or better from the CA and install it on the origin."),
            list("CloudFront", "502 (invalid origin certificate)", "Cloudflare", "526 Invalid SSL certificate",
                    "nginx", "upstream SSL certificate verify error: (68:CA signature digest algorithm too weak) (502)", "Envoy", "503 UF CERTIFICATE_VERIFY_FAILED", "RFC 9209", "tls_certificate_error")),
    ORIGIN_RESPONSE_TIMEOUT("OriginResponseTimeout", 524, "524", Phase.RESPONSE, "http_response_timeout",
            "The origin did not respond in time",
            "The connection to the origin worked and the request was sent, but the origin sent no response (or stopped sending one) within the response timeout.",
            "Try again later; the page may be slow to generate.",
            List.of("Time the origin directly: `curl -s -o /dev/null -w '%{time_starttransfer}\\n' --resolve {origin.host}:{origin.port}:{origin.address} http://{origin.host}:{origin.port}/`.",
                    "Make the slow request faster or asynchronous, or raise the origin's `responseTimeout`."),
            list("CloudFront", "504 OriginCommError (origin response timeout)", "Cloudflare", "524 A timeout occurred",
                    "nginx", "upstream timed out (110: Connection timed out) while reading response header from upstream (504)", "Envoy", "504 UT upstream_response_timeout", "RFC 9209", "http_response_timeout / connection_read_timeout")),
    ORIGIN_CONNECTION_CLOSED("OriginConnectionClosed", 502, "520", Phase.RESPONSE, "connection_terminated",
            "The origin closed the connection",
            "The origin closed or reset the connection before it finished sending its response.",
            "Try again; if it keeps happening, the site's server is crashing on this request.",
            List.of("Reproduce directly: `curl -v --resolve {origin.host}:{origin.port}:{origin.address} http://{origin.host}:{origin.port}/`.",
                    "Check the origin server's error log for a crash, a worker killed for memory, or a keep-alive timeout shorter than the gateway's idle timeout."),
            list("CloudFront", "502 OriginReadError", "Cloudflare", "520 Web server is returning an unknown error",
                    "nginx", "upstream prematurely closed connection while reading response header from upstream (502)", "Envoy", "503 UC upstream_reset_before_response_started{connection_termination}", "RFC 9209", "connection_terminated")),
    ORIGIN_INVALID_RESPONSE("OriginInvalidResponse", 502, "520", Phase.RESPONSE, "http_protocol_error",
            "The origin sent an invalid HTTP response",
            "The origin's response could not be parsed as HTTP/1.1: a bad status line, a malformed header or a broken chunked body.",
            "Try again later; the site's server sent a broken response.",
            List.of("Look at the raw response: `curl -v --raw --resolve {origin.host}:{origin.port}:{origin.address} http://{origin.host}:{origin.port}/`.",
                    "Check for a non-HTTP service on that port, or an application writing output before its headers."),
            list("CloudFront", "502 OriginInvalidResponseError", "Cloudflare", "520 Web server is returning an unknown error",
                    "nginx", "upstream sent invalid header while reading response header from upstream (502)", "Envoy", "502 UPE protocol_error", "RFC 9209", "http_protocol_error")),
    ORIGIN_HEADER_TOO_BIG("OriginHeaderTooBig", 502, "520", Phase.RESPONSE, "http_response_header_section_size",
            "The origin's response headers are too large",
            "The origin sent a status line or header section larger than the gateway accepts.",
            "Clear this site's cookies and try again; if it persists the site's server sends too many headers.",
            List.of("Measure the headers: `curl -s -o /dev/null -D - --resolve {origin.host}:{origin.port}:{origin.address} http://{origin.host}:{origin.port}/ | wc -c`.",
                    "Trim large Set-Cookie or debug headers at the origin, or raise `limits.maxResponseHeaderSize`."),
            list("CloudFront", "502 OriginHeaderTooBigError", "Cloudflare", "520 (response headers over 16 KB each / 32 KB total)",
                    "nginx", "upstream sent too big header while reading response header from upstream (502)", "Envoy", "502 UPE protocol_error", "RFC 9209", "http_response_header_section_size")),
    ORIGIN_UPGRADE_REFUSED("OriginUpgradeRefused", 502, "520", Phase.RESPONSE, "http_upgrade_failed",
            "The origin refused the protocol upgrade",
            "The client asked to switch the connection to another protocol (such as WebSocket), the gateway passed the request on, and the origin answered with an ordinary response instead of 101 Switching Protocols, so there is no connection to hand over.",
            "Reload the page; if live updates still fail, the site's WebSocket service is down or refuses this page.",
            List.of("Ask the origin directly and expect `101 Switching Protocols` (it answered {origin.status}): `curl -i --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: {upgrade}' -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' --resolve {origin.host}:{origin.port}:{origin.address} http://{origin.host}:{origin.port}{request.path}`.",
                    "Check that `{request.path}` is the origin's WebSocket endpoint and that the origin accepts the forwarded Host and Origin headers; a 426 lists the versions it wants in Sec-WebSocket-Version."),
            list("CloudFront", "no error of its own: the origin's answer reaches the viewer, whose WebSocket fails", "Cloudflare", "no error of its own: the origin's answer is passed through",
                    "nginx", "no error of its own: the origin's answer is passed through", "Envoy", "no error of its own: the origin's answer is passed through", "RFC 9209", "http_upgrade_failed")),
    TUNNEL_CUT("TunnelCut", 502, "520", Phase.RESPONSE, "connection_terminated",
            "The upgraded connection was cut",
            "After the origin switched protocols (101) the gateway joined the client's and the origin's connections into one tunnel, and then one side reset its connection or the tunnel stayed idle past its timeout; the 101 was already sent, so the other side's connection was closed and the failure was only journaled.",
            "Reconnect; a WebSocket client should reconnect by itself, with a growing delay between tries.",
            List.of("See which side cut the tunnel ({tunnel.cutBy}: {tunnel.reason}) after {tunnel.bytesToOrigin} bytes to the origin and {tunnel.bytesToClient} bytes to the client.",
                    "When the gateway cut it for idleness, have either side send WebSocket pings more often than the site's `upgrades.idleTimeout`, or raise it.",
                    "When the origin cut it, check the origin's log for a crash or a restart at that time; when the client cut it, the visitor's network or browser tab went away."),
            list("CloudFront", "WebSocket closed after 10 minutes idle, or when the origin closes", "Cloudflare", "WebSocket disconnected (idle timeout, or an edge or origin restart)",
                    "nginx", "upstream timed out (110) / recv() failed (104: Connection reset by peer) while proxying upgraded connection", "Envoy", "upstream or downstream connection termination; idle_timeout on the upgrade", "RFC 9209", "connection_terminated")),
    GATEWAY_INTERNAL_ERROR("GatewayInternalError", 500, null, Phase.GATEWAY, "proxy_internal_error",
            "The gateway failed unexpectedly",
            "The gateway hit an error of its own that matches no other entry; this is a bug in the gateway, not a problem with the site.",
            "Try again; if it persists, tell the site owner the request id.",
            List.of("Look the request id up in the failure journal (`/failures/{request.id}` on the admin listener) and report the exception `{exception}`."),
            list("CloudFront", "500 / 503 (internal error)", "Cloudflare", "500 Internal Server Error (Cloudflare-branded)",
                    "nginx", "500 Internal Server Error", "Envoy", "500 local reply", "RFC 9209", "proxy_internal_error")),
    ORIGIN_STREAM_RESET("OriginStreamReset", 502, "520", Phase.RESPONSE, "http_protocol_error",
            "The origin reset the HTTP/2 stream",
            "The gateway spoke HTTP/2 to the origin and the origin ended this request's stream with RST_STREAM before it finished its response; the error code says why (REFUSED_STREAM means the origin never processed the request, so the gateway may send it again).",
            "Try again; if it keeps happening, the site's server rejects or crashes on this request.",
            List.of("The origin reset stream {http2.streamId} with {http2.errorCode}: reproduce with `curl -v --http2 --resolve {origin.host}:{origin.port}:{origin.address} https://{origin.host}:{origin.port}{request.path}` (or `--http2-prior-knowledge http://…` for an h2c origin).",
                    "REFUSED_STREAM means the origin was at its stream limit or shutting down; INTERNAL_ERROR or CANCEL point at the origin's application log; PROTOCOL_ERROR means it disliked what the gateway sent."),
            list("CloudFront", "502 OriginReadError", "Cloudflare", "520 Web server is returning an unknown error",
                    "nginx", "upstream sent RST_STREAM (502, grpc_pass)", "Envoy", "503 UR upstream_reset_before_response_started{remote_reset} / {remote_refused_stream_reset}",
                    "RFC 9209", "http_protocol_error")),
    ORIGIN_GOAWAY("OriginGoAway", 502, "520", Phase.RESPONSE, "connection_terminated",
            "The origin closed its HTTP/2 connection (GOAWAY)",
            "The gateway spoke HTTP/2 to the origin and the origin sent GOAWAY, ending the connection this request's stream was on before the response finished; a stream above GOAWAY's last stream id never reached the origin and may be sent again.",
            "Try again; the site's server was probably restarting.",
            List.of("The origin sent GOAWAY {http2.errorCode} with last stream id {http2.lastStreamId} (this request was stream {http2.streamId}); its debug data: {http2.debugData}.",
                    "NO_ERROR is a graceful shutdown or a connection age limit on the origin; another code is an error the origin saw on the connection: check its log at this time."),
            list("CloudFront", "502 OriginReadError", "Cloudflare", "520 Web server is returning an unknown error",
                    "nginx", "upstream prematurely closed connection (502)", "Envoy", "503 UC upstream_reset_before_response_started{connection_termination}",
                    "RFC 9209", "connection_terminated")),
    ORIGIN_NOT_HTTP2("OriginNotHttp2", 502, "520", Phase.RESPONSE, "http_protocol_error",
            "The origin does not speak HTTP/2",
            "The site says to speak HTTP/2 to this origin, but the origin did not: over TLS its ALPN chose another protocol or none, or over cleartext (h2c) it answered the HTTP/2 preface with HTTP/1 or not at all.",
            "Try again later; the site's gateway and server disagree on the protocol.",
            List.of("See what the origin negotiates: `curl -sv -o /dev/null --http2 --resolve {origin.host}:{origin.port}:{origin.address} https://{origin.host}:{origin.port}/ 2>&1 | grep -i alpn` (h2c: `curl -v --http2-prior-knowledge http://{origin.host}:{origin.port}/`).",
                    "Enable HTTP/2 on the origin (nginx: `listen 443 ssl; http2 on;`), or set the origin's `protocol` to https-only or http-only to speak HTTP/1.1."),
            list("CloudFront", "502 (origin protocol policy mismatch)", "Cloudflare", "520 (origin negotiated a protocol it then broke)",
                    "nginx", "upstream sent no valid HTTP/2 frame (grpc_pass, 502)", "Envoy", "503 UF upstream_reset_before_response_started{protocol_error} / ALPN mismatch",
                    "RFC 9209", "http_protocol_error")),
    REQUEST_BODY_TIMEOUT("RequestBodyTimeout", 408, null, Phase.CLIENT, "http_request_error",
            "The request body arrived too slowly",
            "The client sent its request headers but then stopped sending the body it announced, or sent it so slowly that the gateway gave up waiting for the rest within its body timeout; the origin attempt was abandoned.",
            "Retry on a more stable connection.",
            List.of("If legitimate clients upload slowly, raise `limits.bodyTimeout` or lower `limits.minBodyRate`; a burst of these usually means a slow-POST (R.U.D.Y.) attack."),
            list("CloudFront", "408 ClientCommError", "Cloudflare", "408 Request Timeout", "nginx", "client_body_timeout (408)",
                    "Envoy", "408 request_timeout / stream_idle_timeout", "RFC 9209", "http_request_error")),
    ORIGIN_UPGRADE_UNSUPPORTED("OriginUpgradeUnsupported", 502, null, Phase.CONNECT, "proxy_configuration_error",
            "The origin is spoken to in HTTP/2, which cannot carry this upgrade",
            "The client asked to upgrade its connection (a WebSocket), but the site speaks HTTP/2 to this origin (protocol h2 or h2c), and HTTP/2 has no Upgrade: the request would reach the origin as a plain request and never become a tunnel, so the gateway did not send it.",
            "Nothing; the site's configuration needs fixing.",
            List.of("Serve the WebSocket endpoint from an origin spoken to in HTTP/1.1: give it a host name (a site) of its own whose origin `{origin.host}` has `protocol: https-only` or `http-only`.",
                    "Or, when the origin's HTTP/2 port also speaks HTTP/1.1 (most TLS servers do, by ALPN), set this origin's `protocol` to https-only or http-only."),
            list("CloudFront", "n/a (WebSocket to origins is always HTTP/1.1)", "Cloudflare", "n/a (WebSocket to origins is always HTTP/1.1)",
                    "nginx", "n/a (proxy_http_version 1.1 is required for WebSocket)", "Envoy", "upstream reset, unless the upstream allows extended CONNECT (RFC 8441)",
                    "RFC 9209", "proxy_configuration_error"));

    private final String code;
    private final int status;
    private final String edgeNumber;
    private final Phase phase;
    private final String proxyStatusError;
    private final String title;
    private final String meaning;
    private final String visitorAdvice;
    private final List<String> ownerAdvice;
    private final List<AlsoKnownAs> alsoKnownAs;

    FailureCode(String code, int status, String edgeNumber, Phase phase, String proxyStatusError, String title,
            String meaning, String visitorAdvice, List<String> ownerAdvice, List<AlsoKnownAs> alsoKnownAs) {
        this.code = code;
        this.status = status;
        this.edgeNumber = edgeNumber;
        this.phase = phase;
        this.proxyStatusError = proxyStatusError;
        this.title = title;
        this.meaning = meaning;
        this.visitorAdvice = visitorAdvice;
        this.ownerAdvice = ownerAdvice;
        this.alsoKnownAs = alsoKnownAs;
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

    /** Returns the one-line title, stable across occurrences (the problem details {@code title}). */
    public String title() {
        return title;
    }

    /** Returns what happened, in words safe to show to anyone. */
    public String meaning() {
        return meaning;
    }

    /** Returns what a visitor of the site can do. */
    public String visitorAdvice() {
        return visitorAdvice;
    }

    /** Returns the owner's steps as templates with {@code {name}} placeholders for evidence facts. */
    public List<String> ownerAdvice() {
        return ownerAdvice;
    }

    /** Returns the owner's steps with placeholders filled from the evidence. */
    public List<String> ownerAdvice(Evidence evidence) {
        Object host = evidence.get("origin.host");
        // An origin given as an IP address is never resolved: a step asking what its name resolves to has no name.
        boolean literal = host != null && NetUtil.createByteArrayFromIpAddressString(host.toString()) != null;
        return ownerAdvice.stream().filter(step -> !literal || !step.contains("+short {origin.host}"))
                .map(step -> TemplateFiller.fill(step, evidence)).toList();
    }

    /** Returns other products' and standards' names for this failure. */
    public List<AlsoKnownAs> alsoKnownAs() {
        return alsoKnownAs;
    }

    /** Returns the entry with this code, ignoring case, or null. */
    public static FailureCode byCode(String code) {
        for (FailureCode c : values()) {
            if (c.code.equalsIgnoreCase(code) || c.name().equalsIgnoreCase(code)) {
                return c;
            }
        }
        return null;
    }
}
