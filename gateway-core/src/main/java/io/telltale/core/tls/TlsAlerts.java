package io.telltale.core.tls;

import java.util.Map;

/** TLS alert names as JSSE prints them, mapped to their numbers (RFC 8446 §6 and the TLS alert registry). */
final class TlsAlerts {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("close_notify", 0),
            Map.entry("unexpected_message", 10),
            Map.entry("bad_record_mac", 20),
            Map.entry("decryption_failed", 21),
            Map.entry("record_overflow", 22),
            Map.entry("decompression_failure", 30),
            Map.entry("handshake_failure", 40),
            Map.entry("no_certificate", 41),
            Map.entry("bad_certificate", 42),
            Map.entry("unsupported_certificate", 43),
            Map.entry("certificate_revoked", 44),
            Map.entry("certificate_expired", 45),
            Map.entry("certificate_unknown", 46),
            Map.entry("illegal_parameter", 47),
            Map.entry("unknown_ca", 48),
            Map.entry("access_denied", 49),
            Map.entry("decode_error", 50),
            Map.entry("decrypt_error", 51),
            Map.entry("export_restriction", 60),
            Map.entry("protocol_version", 70),
            Map.entry("insufficient_security", 71),
            Map.entry("internal_error", 80),
            Map.entry("inappropriate_fallback", 86),
            Map.entry("user_canceled", 90),
            Map.entry("no_renegotiation", 100),
            Map.entry("missing_extension", 109),
            Map.entry("unsupported_extension", 110),
            Map.entry("certificate_unobtainable", 111),
            Map.entry("unrecognized_name", 112),
            Map.entry("bad_certificate_status_response", 113),
            Map.entry("bad_certificate_hash_value", 114),
            Map.entry("unknown_psk_identity", 115),
            Map.entry("certificate_required", 116),
            Map.entry("no_application_protocol", 120));

    private static final String RECEIVED = "Received fatal alert: ";

    private TlsAlerts() {
    }

    /** Returns the alert's number, or null for a name outside the registry. */
    static Integer number(String name) {
        return NUMBERS.get(name);
    }

    /** Returns the alert name from a JSSE "Received fatal alert: X" message anywhere in the cause chain, or null. */
    static String received(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(RECEIVED);
            if (at >= 0) {
                String rest = m.substring(at + RECEIVED.length()).trim();
                int end = 0;
                while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
                    end++;
                }
                return rest.substring(0, end);
            }
        }
        return null;
    }
}
