package io.telltale.core.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fastly with a backend's documented defaults, from Fastly's API, VCL and TLS guides (source keys as in
 * {@code docs/preflight.md}: F1 the backend API, F2 the Terraform backend schema's defaults, F3 first byte timeout,
 * F6 synthetic errors, F7 TLS origin messages, F8 limits, F9 loop headers).
 */
final class FastlyProfile {
    static final ProfileSpec SPEC = new ProfileSpec("Fastly", originDefaults(), null, List.of(), List.of(),
            "F1 P (any port)", Sourced.unknown("F1 F2"), Sourced.unknown("F1 (restarts are VCL logic)"),
            Sourced.unknown("F1 (ssl_ciphers has no documented default)"),
            Sourced.of(List.of(new RequestLimit(RequestLimit.Measure.URI, 8 * 1024, "F8 P"),
                    new RequestLimit(RequestLimit.Measure.HEADERS, 69 * 1024, "F8 P"),
                    new RequestLimit(RequestLimit.Measure.FIELDS, 255, "F8 P")), "F8 P"),
            Sourced.of(List.of(AddedHeader.syntheticId("Fastly-FF", "%s!TELLTALE!telltale"),
                    AddedHeader.appended("CDN-Loop", "Fastly")), "F9 P (Fastly-Client-IP: unknown)"),
            Sourced.unknown("F1"),
            Sourced.of("origin errors cached per their headers; synthetic errors: unknown", "F6 P"),
            null, answers(), Map.of());

    private FastlyProfile() {
    }

    private static Map<String, Sourced<String>> originDefaults() {
        Map<String, Sourced<String>> d = new LinkedHashMap<>();
        d.put("connectTimeout", Sourced.of("1s", "F1 F2 P"));
        d.put("responseTimeout", Sourced.of("15s", "F3 P (first byte; between bytes is 10 s: F4)"));
        d.put("certificateCheck", Sourced.of("verify", "F2 P (ssl_check_cert true)"));
        d.put("sni", Sourced.of("origin-host", "F1 I (ssl_sni_hostname unset)"));
        return Collections.unmodifiableMap(d);
    }

    private static Map<String, VendorAnswer> answers() {
        return new Answers()
                .add("NonS3OriginDnsError", 503, null, "F6 I (reason string unknown)")
                .add("OriginConnectionRefused", 503, null, "F6 P status, reason unknown")
                .add("OriginConnectTimeout", 503, null, "F1 F6 P status, reason unknown")
                .add("OriginUnreachable", 503, null, "F6 I")
                .add("OriginAddressesFailed", 503, null, "F6 I")
                .add("OriginSslHandshakeFailed", 503, null, "F1 P status, reason unknown")
                .addAll(Answers.CERTIFICATE_CODES, 503, null, "F7 I")
                .add("OriginSslCertificateNameMismatch", 503, "Hostname mismatch", "F7 P")
                .add("OriginSslSelfSignedCertificate", 503, "self signed certificate", "F7 P")
                .add("OriginSslUntrustedRoot", 503, "unable to get local issuer certificate", "F7 P")
                .add("OriginSslIncompleteChain", 503, "unable to verify the first certificate", "F7 P")
                .add("OriginSslCertificateExpired", 503, "certificate has expired", "F7 I (OpenSSL's verify string)")
                .add("OriginResponseTimeout", 503, "first byte timeout", "F3 F6 P")
                .add("OriginConnectionClosed", 503, "backend read error", "F6 I")
                .add("OriginInvalidResponse", 503, "backend read error", "F6 I")
                .add("OriginHeaderTooBig", 503, "backend read error", "F8 P")
                .add("RequestUriTooLong", 0, "Too long request string", "F8 P; status unknown")
                .add("RequestHeaderTooLarge", 0, "Header overflow",
                        "F8 P (also an abrupt close or 502 I/O error); status unknown")
                .build();
    }
}
