package io.telltale.core.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Amazon CloudFront toward a custom origin, from the CloudFront developer guide and API reference (source keys as in
 * {@code docs/preflight.md}: A1 origin settings, A3 OriginSslProtocols, A4 origin ciphers, A5 the 502 page,
 * A7 the 504 page, A8 the standard log fields, A9 request and response behaviour, A10 HTTPS to custom origins,
 * A13 error caching, A20 Origin.DomainName, A21 the CDK's defaults).
 */
final class CloudFrontProfile {
    /** The sixteen ciphers CloudFront offers an origin [A4], in the JDK's names; RC4-MD5 has none in the JDK. */
    static final List<String> CIPHERS = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
            "SSL_RSA_WITH_RC4_128_MD5");

    static final ProfileSpec SPEC = new ProfileSpec("CloudFront", originDefaults(),
            new OriginNameRule(false, 128, Pattern.compile("[A-Za-z0-9._-]+"), "A20 P; IP literal refused: A23 F"),
            List.of(), List.of(), "80, 443 or 1024-65535 for each of the HTTP and HTTPS ports: A1 P",
            Sourced.of(3, "A1 P (1-3, default 3)"),
            Sourced.of(List.of("GET", "HEAD"), "A1 P (other methods are not retried after a response timeout)"),
            Sourced.of(List.of("P-256", "P-384", "X25519"), "A4 P"),
            Sourced.of(List.of(new RequestLimit(RequestLimit.Measure.URI, 8_192, "A9 A12 P (413)"),
                    new RequestLimit(RequestLimit.Measure.HEAD, 20_480, "A9 A12 P (request line and headers; 413)")),
                    "A9 A12 P"),
            Sourced.of(List.of(AddedHeader.literal("User-Agent", "Amazon CloudFront"),
                    AddedHeader.syntheticId("X-Amz-Cf-Id", "telltale-%s")),
                    "A9 P (X-Forwarded-For gets the viewer's address appended, as the gateway's own does)"),
            Sourced.of(List.of("Accept", "Accept-Charset", "Accept-Language", "Referer", "Cookie", "Expect",
                    "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Upgrade",
                    "X-Edge-*", "X-Forwarded-Proto", "X-HTTP-Method-Override", "X-Real-IP"),
                    "A9 P (legacy cache settings; Upgrade is kept for WebSocket)"),
            Sourced.of("404, 414, 500, 501, 502, 503, 504 for max(10 s, origin max-age); an expired copy is served "
                    + "instead of a 5xx", "A13 P"),
            "Error from cloudfront", answers(),
            Map.of("cache.errorTtl", Sourced.of("10s", "A13 P (error caching minimum TTL; that it covers "
                    + "CloudFront's own 502 and 504: I)")));

    private CloudFrontProfile() {
    }

    private static Map<String, Sourced<String>> originDefaults() {
        Map<String, Sourced<String>> d = new LinkedHashMap<>();
        d.put("connectTimeout", Sourced.of("10s", "A1 P (1-10 s)"));
        d.put("responseTimeout", Sourced.of("30s", "A1 P (first byte and between packets)"));
        d.put("idleTimeout", Sourced.of("5s", "A1 P (origin keep-alive)"));
        d.put("minTlsVersion", Sourced.of("TLSv1.2", "A21 P (the CDK's default; older versions are off in the JDK)"));
        d.put("maxTlsVersion", Sourced.of("TLSv1.2", "A3 P (no TLS 1.3 value exists)"));
        d.put("ciphers", Sourced.of(String.join(",", CIPHERS), "A4 P"));
        d.put("chainOrder", Sourced.of("strict", "A5 P (a chain in the wrong order is a listed 502 cause)"));
        d.put("certificateCheck", Sourced.of("verify", "A10 P (always verified)"));
        d.put("sni", Sourced.of("origin-host", "A5 A9 I (origin domain unless Host is forwarded)"));
        d.put("connectAttempts", Sourced.of("3", "A1 P"));
        return Collections.unmodifiableMap(d);
    }

    private static Map<String, VendorAnswer> answers() {
        return new Answers()
                .add("NonS3OriginDnsError", 502, "OriginDnsError", "A6 A8 P (page code NonS3OriginDnsError)")
                .add("OriginIpProhibited", 504, "OriginCommError", "A7 I (no address rule; a private origin times out)")
                .add("OriginConnectionRefused", 502, "OriginConnectError", "A8 P type, A5 I status")
                .add("OriginConnectTimeout", 504, "OriginCommError", "A7 A8 P")
                .add("OriginUnreachable", 502, "OriginConnectError", "A8 I")
                .add("OriginAddressesFailed", 502, "OriginConnectError", "A8 I")
                .add("OriginSslHandshakeFailed", 502, null, "A5 P (no detailed result type for TLS: A8 NF)")
                .addAll(Answers.CERTIFICATE_CODES, 502, null, "A5 A10 P (no detailed result type for TLS: A8 NF)")
                .add("OriginResponseTimeout", 504, "OriginCommError", "A7 A8 P")
                .add("OriginConnectionClosed", 502, "OriginReadError", "A8 I")
                .add("OriginInvalidResponse", 502, "OriginInvalidResponseError", "A8 I")
                .add("OriginHeaderTooBig", 502, "OriginHeaderTooBigError", "A8 P type, I status")
                .add("RequestUriTooLong", 413, null, "A9 A12 P (URL over 8,192 bytes)")
                .add("RequestHeaderTooLarge", 413, null, "A9 A12 P (request over 20,480 bytes; not logged: A8)")
                .build();
    }
}
