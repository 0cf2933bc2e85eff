package io.telltale.server.lab;

import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.Phase;
import io.telltale.server.lab.LabScenario.Outcome;
import io.telltale.server.lab.origin.UnreachableNamespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The lab's scenarios, in the order they are listed: the one source for the landing page, the admin JSON,
 * the start-up listing and the integration test. Each site of {@code config/lab.yaml} but the landing page
 * is one of them; {@code nosuch} is the one with no site.
 */
public final class LabScenarios {
    /** The path of the edge-rule-invalid link: a 9 KiB URL, more than a rule may copy into a header. */
    public static final String LONG_URL_PATH = "/search?q=" + "telltale-".repeat(1000);

    /** The WebSocket scenarios' path: a page whose script opens the WebSocket at {@code /ws} on the same host. */
    public static final String WEBSOCKET_PAGE = "/";

    private static final List<LabScenario> ALL = List.of(
            new LabScenario("www", null, "nothing: a healthy origin whose answer is cached for 60 s (the second request is a hit)",
                    Outcome.SERVED, 200, null, null, "/", null),
            new LabScenario("stale", null, "the origin answers once, then goes down: later requests get the stored copy, stale, "
                    + "with Cache-Status naming the failure", Outcome.SERVED_STALE, 200,
                    FailureCode.ORIGIN_CONNECTION_REFUSED, null, "/", null),

            error("nosuch", FailureCode.HOST_NOT_CONFIGURED, "no site in lab.yaml has this host name"),
            error("loop", FailureCode.LOOP_DETECTED, "the origin forwards back to the gateway itself, so the request "
                    + "returns carrying the gateway's own Via"),

            new LabScenario("edge-rule-invalid", Phase.EDGE_RULE, "a header rule copies the URL into X-Original-Url; "
                    + "this 9 KiB URL makes the value longer than a header may carry (the plain / works)",
                    Outcome.ERROR, 502, FailureCode.FUNCTION_VALIDATION_ERROR, "proxy_configuration_error", LONG_URL_PATH, null),

            dns("dns-nxdomain", "dns_error", "the origin's name does not exist (NXDOMAIN)"),
            dns("dns-nodata", "dns_error", "the origin's name exists but has no address record (NODATA)"),
            dns("dns-servfail", "dns_error", "the resolver answers SERVFAIL with extended error 22 (no reachable authority)"),
            dns("dns-refused", "dns_error", "the resolver refuses to answer (REFUSED)"),
            dns("dns-timeout", "dns_timeout", "the resolver never answers; the query times out after 1 s"),
            dns("dns-lame", "dns_error", "the zone is delegated to a name server that does not serve it (lame delegation)"),
            dns("dns-dangling-cname", "dns_error", "the origin's name is a CNAME to a name that was deleted"),
            dns("dns-cname-loop", "dns_error", "two CNAMEs point at each other, so no address is ever reached"),
            dns("dns-dnssec-bogus", "dns_error", "DNSSEC validation fails (SERVFAIL, extended error 6)"),
            error("ip-prohibited", FailureCode.ORIGIN_IP_PROHIBITED, "the origin's name resolves to 169.254.169.254 "
                    + "(cloud metadata), which the gateway refuses to connect to"),

            error("tcp-refused", FailureCode.ORIGIN_CONNECTION_REFUSED, "nothing listens on the origin's port: the "
                    + "connect is reset at once"),
            error("tcp-timeout", FailureCode.ORIGIN_CONNECT_TIMEOUT, "the origin's SYNs are dropped; the connect "
                    + "times out after 2 s"),
            new LabScenario("tcp-address-refused", Phase.CONNECT, "the origin's name has two addresses and nothing "
                    + "listens at the first: the second serves at once, and X-Gateway-Failover names what failed",
                    Outcome.SERVED, 200, null, null, "/", null),
            error("tcp-addresses-failed", FailureCode.ORIGIN_ADDRESSES_FAILED, "the origin's name has two addresses: "
                    + "the first refuses, the second drops SYNs until the 2 s connect timeout"),
            new LabScenario("group-failover", Phase.CONNECT, "an origin group whose primary refuses connections: the "
                    + "secondary serves, and X-Gateway-Failover says why", Outcome.SERVED, 200, null, null, "/", null),
            error("group-all-down", FailureCode.ORIGIN_CONNECTION_REFUSED, "an origin group whose two origins both "
                    + "refuse connections: the answer lists both attempts in order"),
            error("origin-connection-limit", FailureCode.ORIGIN_CONNECTION_LIMIT, "the site allows one connection to "
                    + "its origin, and another visitor's slow request (the lab's own) always holds it"),
            new LabScenario("tcp-unreachable", Phase.CONNECT, "no route to the origin's address (no route to host)",
                    Outcome.ERROR, 523, FailureCode.ORIGIN_UNREACHABLE, "destination_ip_unroutable", "/",
                    unreachableReason()),

            failing("tls-expired", FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED, "tls_certificate_error",
                    "the origin's certificate expired a day ago"),
            failing("tls-not-yet-valid", FailureCode.ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID, "tls_certificate_error",
                    "the origin's certificate becomes valid only in two days"),
            failing("tls-wrong-host", FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH, "tls_certificate_error",
                    "the origin's certificate is for another name"),
            failing("tls-self-signed", FailureCode.ORIGIN_SSL_SELF_SIGNED_CERTIFICATE, "tls_certificate_error",
                    "the origin's certificate signed itself"),
            failing("tls-untrusted-root", FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT, "tls_certificate_error",
                    "the origin's chain ends at a root the gateway does not trust"),
            failing("tls-incomplete-chain", FailureCode.ORIGIN_SSL_INCOMPLETE_CHAIN, "tls_certificate_error",
                    "the origin sends its certificate without the intermediate"),
            failing("tls-chain-out-of-order", FailureCode.ORIGIN_SSL_CHAIN_OUT_OF_ORDER, "tls_certificate_error",
                    "the origin sends its chain as leaf, root, intermediate"),
            failing("tls-expired-intermediate", FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED, "tls_certificate_error",
                    "the origin's leaf is valid but the intermediate it sends expired three days ago"),
            failing("tls-wrong-purpose", FailureCode.ORIGIN_SSL_CERTIFICATE_WRONG_PURPOSE, "tls_certificate_error",
                    "the origin's certificate is issued for TLS client authentication only"),
            failing("tls-weak-key", FailureCode.ORIGIN_SSL_WEAK_KEY, "tls_certificate_error",
                    "the origin's certificate has a 1024-bit RSA key"),
            failing("tls-sha1-signature", FailureCode.ORIGIN_SSL_WEAK_SIGNATURE, "tls_certificate_error",
                    "the origin's certificate is signed with SHA-1"),
            failing("tls-protocol-mismatch", FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_alert_received",
                    "the gateway requires TLS 1.3; the origin speaks TLS 1.2 only"),
            failing("tls-no-shared-cipher", FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_alert_received",
                    "the gateway and the origin have no cipher suite in common"),
            failing("tls-plain-http", FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_protocol_error",
                    "the origin's HTTPS port speaks plain HTTP"),
            failing("tls-client-cert-required", FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_alert_received",
                    "the origin requires a client certificate the gateway does not have"),
            failing("tls-handshake-timeout", FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_protocol_error",
                    "the origin never answers the ClientHello; the handshake times out after 2 s"),

            error("http-response-timeout", FailureCode.ORIGIN_RESPONSE_TIMEOUT, "the origin reads the request and "
                    + "never answers; the gateway gives up after 2 s"),
            error("http-closed-early", FailureCode.ORIGIN_CONNECTION_CLOSED, "the origin closes the connection "
                    + "without answering"),
            error("http-closed-mid-headers", FailureCode.ORIGIN_CONNECTION_CLOSED, "the origin sends half a status "
                    + "line and closes"),
            error("http-invalid-response", FailureCode.ORIGIN_INVALID_RESPONSE, "the origin's status line has no "
                    + "status code"),
            error("http-broken-chunking", FailureCode.ORIGIN_INVALID_RESPONSE, "the origin's chunked body has a chunk "
                    + "size that is not hexadecimal"),
            error("http-header-too-big", FailureCode.ORIGIN_HEADER_TOO_BIG, "the origin answers with a 128 KiB "
                    + "header section (the limit is 64 KiB)"),
            new LabScenario("http-reset-mid-body", Phase.RESPONSE, "the origin resets the connection after 32 KiB of "
                    + "a 1 MiB body: the status was already sent, so the visitor's connection is aborted",
                    Outcome.ABORTED, 200, FailureCode.ORIGIN_CONNECTION_CLOSED, "connection_terminated", "/", null),
            new LabScenario("http-origin-500", Phase.RESPONSE, "the origin itself answers 500: passed through, with "
                    + "Proxy-Status received-status=500", Outcome.SERVED, 500, null, null, "/", null),

            new LabScenario("ws-echo", Phase.RESPONSE, "nothing: the page opens a WebSocket to /ws, the origin "
                    + "switches protocols and the gateway tunnels the echo", Outcome.SERVED, 101, null, null,
                    WEBSOCKET_PAGE, null),
            new LabScenario("ws-refused", Phase.RESPONSE, "the origin answers the WebSocket upgrade with 403 instead "
                    + "of 101 (the page at / shows the failed WebSocket; /ws asked with curl shows the explanation)",
                    Outcome.ERROR, 502, FailureCode.ORIGIN_UPGRADE_REFUSED, "http_upgrade_failed", WEBSOCKET_PAGE, null),
            new LabScenario("ws-idle", Phase.RESPONSE, "the echo again with a 2 s idle timeout: after one message "
                    + "the tunnel is silent, so the gateway closes both sides and journals the cut", Outcome.ABORTED,
                    101, FailureCode.TUNNEL_CUT, "connection_terminated", WEBSOCKET_PAGE, null),

            error("h2c-http1-origin", FailureCode.ORIGIN_NOT_HTTP2, "the site speaks cleartext HTTP/2 (h2c) to an "
                    + "origin that only speaks HTTP/1.1: it answers the HTTP/2 preface in HTTP/1 or not at all"),
            error("grpc-down", FailureCode.ORIGIN_CONNECTION_REFUSED, "a gRPC service (h2c) that is down: a browser "
                    + "gets this page, a gRPC client a trailers-only answer with grpc-status 14 UNAVAILABLE"),
            new LabScenario("shield-failed", Phase.CONNECT, "this gateway's origin is a second Telltale tier (a "
                    + "shield) whose origin refuses connections: the shield's code, both Proxy-Status members and "
                    + "X-Gateway-Path mark the failing hop", Outcome.ERROR, 521, FailureCode.ORIGIN_CONNECTION_REFUSED,
                    "connection_refused", "/", null),
            new LabScenario("peer-lost", Phase.CONNECT, "the second tier is a cluster node whose owner of every key "
                    + "is gone: it fetches from the origin itself, and its Cache-Status says the owner was "
                    + "unreachable", Outcome.SERVED, 200, null, null, "/", null),
            new LabScenario("group-flapping", Phase.CONNECT, "an origin group whose primary answers 503 for 20 s out "
                    + "of every 40: outlier detection ejects it and the health checks turn it unhealthy and back, while "
                    + "the secondary serves (the admin listener's /origins shows each turn)", Outcome.SERVED, 200, null,
                    null, "/", null),
            new LabScenario("doctor-address-refused", Phase.CONNECT, "an origin group's name has two addresses and "
                    + "the first refuses: served by the second, and the health check's doctor warns of the refusing "
                    + "address in /origins", Outcome.SERVED, 200, null, null, "/", null),
            new LabScenario("doctor-certificate-expiring", Phase.TLS, "the origin's certificate expires in three days:"
                    + " served today, and the health check's doctor warns of tomorrow's 502 in /origins and in "
                    + "telltale_origin_certificate_expiry_seconds", Outcome.SERVED, 200, null, null, "/", null),

            cdnError("cdn-out-of-order-cloudfront", 502, FailureCode.ORIGIN_SSL_CHAIN_OUT_OF_ORDER,
                    "tls_certificate_error", "under the cloudfront profile, an origin that sends its chain out of "
                    + "order: CloudFront refuses it, Cloudflare Full serves it (the next scenario)"),
            cdnServed("cdn-out-of-order-cloudflare-full", "under the cloudflare-full profile, the same out-of-order "
                    + "chain: Full checks no certificate, so it serves"),
            cdnError("cdn-tls13-only-cloudfront", 502, FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "tls_alert_received",
                    "under the cloudfront profile, an origin that speaks TLS 1.3 only: CloudFront offers TLS 1.2 at "
                    + "most, so the handshake fails"),
            cdnServed("cdn-tls13-only-cloudflare-full", "under the cloudflare-full profile, the same TLS-1.3-only "
                    + "origin: Cloudflare offers TLS 1.3, so it serves"),
            cdnError("cdn-slow-first-byte-fastly", 503, FailureCode.ORIGIN_RESPONSE_TIMEOUT, "http_response_timeout",
                    "under the fastly profile, an origin whose first byte takes 2.2 s, over Fastly's first-byte "
                    + "timeout at the lab's tenth (1.5 s): 503 first byte timeout"),
            cdnServed("cdn-slow-first-byte-cloudfront", "under the cloudfront profile, the same slow origin: within "
                    + "CloudFront's 30 s at the lab's tenth (3 s), so it serves"),
            cdnServed("cdn-self-signed-cloudflare-full", "under the cloudflare-full profile, an origin whose "
                    + "certificate signed itself: Full checks no certificate, so it serves"),
            cdnError("cdn-self-signed-cloudflare-strict", 526, FailureCode.ORIGIN_SSL_SELF_SIGNED_CERTIFICATE,
                    "tls_certificate_error", "under the cloudflare-strict profile, the same self-signed certificate: "
                    + "Full (strict) checks it, 526"),
            error("h2-stream-reset", FailureCode.ORIGIN_STREAM_RESET, "an HTTP/2 origin (h2c) resets the request's "
                    + "stream with RST_STREAM INTERNAL_ERROR: the stream id and the error's name are the evidence"),
            error("h2-goaway", FailureCode.ORIGIN_GOAWAY, "an HTTP/2 origin (h2c) answers with GOAWAY INTERNAL_ERROR "
                    + "naming the request's stream as processed, debug data \"db pool exhausted\", and closes"),
            new LabScenario("h2-refused-stream", Phase.RESPONSE, "an HTTP/2 origin (h2c) refuses every other stream "
                    + "with REFUSED_STREAM: the request never reached it, so the gateway sends it again on a new "
                    + "connection, and X-Gateway-Failover names the refusal", Outcome.SERVED, 200, null, null, "/",
                    null));

    private LabScenarios() {
    }

    /** Returns every scenario, in listing order. */
    public static List<LabScenario> all() {
        return ALL;
    }

    /** Returns the scenario with this name. */
    public static LabScenario named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("scenario: " + name + " (expected: one of "
                        + ALL.stream().map(LabScenario::name).toList() + ")"));
    }

    /** Returns scenarios by {@link LabScenario#group()}, groups in order of first appearance. */
    public static Map<String, List<LabScenario>> byGroup(List<LabScenario> scenarios) {
        Map<String, List<LabScenario>> groups = new LinkedHashMap<>();
        for (LabScenario s : scenarios) {
            groups.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        return groups;
    }

    private static LabScenario error(String name, FailureCode code, String breaks) {
        return failing(name, code, code.proxyStatusError(), breaks);
    }

    /** An origin of the CDN matrix reached under a profile that refuses it, answered with that CDN's status. */
    private static LabScenario cdnError(String name, int status, FailureCode code, String proxyStatusError,
            String breaks) {
        return new LabScenario(name, code.phase(), breaks, Outcome.ERROR, status, code, proxyStatusError, "/", null);
    }

    /** An origin of the CDN matrix reached under a profile that serves it. */
    private static LabScenario cdnServed(String name, String breaks) {
        return new LabScenario(name, null, breaks, Outcome.SERVED, 200, null, null, "/", null);
    }

    private static LabScenario dns(String name, String proxyStatusError, String breaks) {
        return failing(name, FailureCode.NON_S3_ORIGIN_DNS_ERROR, proxyStatusError, breaks);
    }

    /** A gateway error whose Proxy-Status error type is one of the code's variants (TLS alerts, DNS timeouts). */
    private static LabScenario failing(String name, FailureCode code, String proxyStatusError, String breaks) {
        return new LabScenario(name, code.phase(), breaks, Outcome.ERROR, code.status(), code, proxyStatusError, "/", null);
    }

    private static String unreachableReason() {
        String why = "an unreachable route needs a network namespace of its own, and the lab's gateway runs in this "
                + "machine's network, where every loopback address is reachable (OriginUnreachableTest makes it real "
                + "inside a namespace)";
        return UnreachableNamespace.whyUnavailable().map(w -> why + "; here even that is unavailable: " + w).orElse(why);
    }
}
