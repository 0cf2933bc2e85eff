package io.telltale.core.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Akamai with the Origin Server behaviour's documented defaults, from Akamai's property manager and Terraform docs
 * (source keys as in {@code docs/preflight.md}: K1 origin, K2 read timeout, K3 connect timeout, K4 error caching,
 * K6 the reference-error prefixes, a field report). Most of Akamai's statuses are not documented: those answers keep
 * Telltale's status and give only the {@code ERR_*} name.
 */
final class AkamaiProfile {
    static final ProfileSpec SPEC = new ProfileSpec("Akamai", originDefaults(), null, List.of(), List.of(),
            "K1 P (defaults 80 / 443; allowed range unknown)", Sourced.unknown("K5 (health detection only)"),
            Sourced.unknown("K2"), Sourced.unknown("K1"), Sourced.unknown("K1 (header limits)"),
            Sourced.of(List.of(AddedHeader.made("True-Client-IP", AddedHeader.Value.VISITOR_ADDRESS)),
                    "K1 P (Via is sent, its value unknown: K8)"), Sourced.unknown("K1 K8"),
            Sourced.of("10 s for 204, 305, 404, 405, 501, 502, 503, 504, 505", "K4 P"), null, answers(),
            Map.of("cache.errorTtl", Sourced.of("10s", "K4 P (cacheError 10 s for 502, 503, 504; that it covers "
                    + "Akamai's own errors: I)")));

    private AkamaiProfile() {
    }

    private static Map<String, Sourced<String>> originDefaults() {
        Map<String, Sourced<String>> d = new LinkedHashMap<>();
        d.put("connectTimeout", Sourced.of("5s", "K3 P"));
        d.put("responseTimeout", Sourced.of("20s", "K2 P (first byte)"));
        d.put("sni", Sourced.of("origin-host", "K1 P (origin_sni true)"));
        return Collections.unmodifiableMap(d);
    }

    private static Map<String, VendorAnswer> answers() {
        return new Answers()
                .add("NonS3OriginDnsError", 0, "ERR_DNS_FAIL", "K6 F; status unknown")
                .add("OriginConnectionRefused", 0, "ERR_CONNECT_FAIL", "K6 F; status unknown")
                .add("OriginConnectTimeout", 0, "ERR_CONNECT_TIMEOUT", "K6 F; status unknown")
                .add("OriginSslHandshakeFailed", 0, "ERR_FWD_SSL_HANDSHAKE", "K6 F; status unknown")
                .addAll(Answers.CERTIFICATE_CODES, 0, "ERR_FWD_SSL_HANDSHAKE", "K6 F; status unknown")
                .add("OriginResponseTimeout", 504, "ERR_READ_TIMEOUT", "K2 P status, K6 F name")
                .add("OriginConnectionClosed", 0, "ERR_READ_ERROR", "K6 F; status unknown")
                .add("OriginInvalidResponse", 0, "ERR_READ_ERROR", "K6 F; status unknown")
                .build();
    }
}
