package io.telltale.core.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cloudflare toward an origin in its Full, Full (strict) and Flexible encryption modes, from Cloudflare's developer
 * documentation (source keys as in {@code docs/preflight.md}: C1 network ports, C2 SSL modes, C3 origin cipher
 * suites, C6 connection limits, C7 the 5xx pages, C8 the 1xxx pages, C9 request headers, C10 origin rules, C11
 * default cache behaviour).
 */
final class CloudflareProfile {
    /** The suites Cloudflare offers an origin, in its ClientHello order [C3], in the JDK's names. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_RSA_WITH_AES_256_CBC_SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
    /** The HTTP ports Cloudflare's edge proxies, and so the origin ports it connects to in Full mode [C1]. */
    static final List<Integer> HTTP_PORTS = List.of(80, 8080, 8880, 2052, 2082, 2086, 2095);
    /** The HTTPS ports Cloudflare's edge proxies [C1]. */
    static final List<Integer> HTTPS_PORTS = List.of(443, 2053, 2083, 2087, 2096, 8443);

    static final ProfileSpec FULL = spec("Cloudflare (Full)", "none", "C2 P (Full accepts any certificate)", null);
    static final ProfileSpec STRICT = spec("Cloudflare (Full strict)", "verify", "C2 P", null);
    static final ProfileSpec FLEXIBLE = spec("Cloudflare (Flexible)", "none", "C2 P (no TLS to the origin)", "http-only");

    private CloudflareProfile() {
    }

    private static ProfileSpec spec(String vendor, String certificateCheck, String checkSource, String protocol) {
        return new ProfileSpec(vendor, originDefaults(certificateCheck, checkSource, protocol), null,
                HTTP_PORTS, HTTPS_PORTS,
                "C1 P (the origin is reached on the visitor's port, one of the proxied ports; an Origin Rule may "
                        + "override it: C10)",
                Sourced.unknown("C6 C7 (no documented connect retry)"), Sourced.unknown("C7"),
                Sourced.of(List.of("X25519", "P-256", "P-384"), "C3 I; X25519MLKEM768 advertised: C4 P"),
                Sourced.of(List.of(new RequestLimit(RequestLimit.Measure.URI, 32 * 1024,
                                "C14 P (414 above 32 KB; the limits page C6 says 16 KB: the docs disagree)"),
                        new RequestLimit(RequestLimit.Measure.HEADERS, 32 * 1024, "C6 P (status unknown)"),
                        new RequestLimit(RequestLimit.Measure.FIELD, 16 * 1024, "C6 P (status unknown)")),
                        "C6 C14 P"),
                Sourced.of(List.of(AddedHeader.made("CF-Connecting-IP", AddedHeader.Value.VISITOR_ADDRESS),
                        AddedHeader.syntheticId("CF-RAY", "%s-TELLTALE"),
                        AddedHeader.made("CF-Visitor", AddedHeader.Value.VISITOR_SCHEME_JSON),
                        AddedHeader.made("X-Forwarded-Proto", AddedHeader.Value.ORIGIN_SCHEME),
                        AddedHeader.appended("CDN-Loop", "cloudflare"),
                        AddedHeader.codingsIfAccepted("Accept-Encoding", "br, gzip")), "C9 P"),
                Sourced.of(List.of("X-Real-IP"), "C9 P (when no Worker runs)"),
                Sourced.of("no 5xx cached by default; 200/206/301 120 min, 302/303 20 min, 404/410 3 min", "C11 P"),
                null, answers(),
                Map.of("cache.errorTtl", Sourced.of("0s", "C11 P (no 5xx and no 52x cached by default)")));
    }

    private static Map<String, Sourced<String>> originDefaults(String certificateCheck, String checkSource,
            String protocol) {
        Map<String, Sourced<String>> d = new LinkedHashMap<>();
        if (protocol != null) {
            d.put("protocol", Sourced.of(protocol, "C2 P"));
        }
        d.put("connectTimeout", Sourced.of("19s", "C6 C7 P (older pages: 15 s)"));
        d.put("responseTimeout", Sourced.of("100s", "C6 C7 P (the latest 524 page says 120 s)"));
        d.put("idleTimeout", Sourced.of("900s", "C6 P"));
        d.put("minTlsVersion", Sourced.of("TLSv1.2", "C3 P offers 1.0-1.3; 1.0 and 1.1 are off in the JDK"));
        d.put("maxTlsVersion", Sourced.of("TLSv1.3", "C3 P"));
        d.put("ciphers", Sourced.of(String.join(",", CIPHERS), "C3 P"));
        d.put("chainOrder", Sourced.of("lenient", "C2 I (Full accepts any chain; strict modes: unknown, C7 NF)"));
        d.put("certificateCheck", Sourced.of(certificateCheck, checkSource));
        d.put("sni", Sourced.of("viewer-host", "C10 P (SNI and Host are the visitor's Host)"));
        return Collections.unmodifiableMap(d);
    }

    private static Map<String, VendorAnswer> answers() {
        return new Answers()
                .add("NonS3OriginDnsError", 530, "1016", "C7 C8 P")
                .add("OriginIpProhibited", 403, "1002", "C8 P code, F status")
                .add("OriginConnectionRefused", 521, "521", "C7 P")
                .add("OriginConnectTimeout", 522, "522", "C7 P")
                .add("OriginUnreachable", 523, "523", "C7 P")
                .add("OriginAddressesFailed", 521, "521", "C7 I")
                .add("OriginSslHandshakeFailed", 525, "525", "C7 P")
                .addAll(Answers.CERTIFICATE_CODES, 526, "526", "C2 C7 P (strict modes only)")
                .add("OriginResponseTimeout", 524, "524", "C7 P")
                .add("OriginConnectionClosed", 520, "520", "C7 P")
                .add("OriginInvalidResponse", 520, "520", "C7 P")
                .add("OriginHeaderTooBig", 520, "520", "C7 P")
                .add("RequestUriTooLong", 414, "414", "C14 P")
                .add("RequestHeaderTooLarge", 0, null, "C6 P limits; status unknown")
                .build();
    }
}
