package io.telltale.core.tls;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.http.HostNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Accumulates the evidence common to every TLS failure toward an origin and builds the failure. */
final class TlsFailureBuilder {
    static final String CERTIFICATE_ERROR = "tls_certificate_error";

    final TlsAttempt attempt;
    final ChainReport report;
    final Throwable cause;
    final Evidence.Builder evidence = Evidence.builder();
    final Map<String, Object> params = new LinkedHashMap<>();

    TlsFailureBuilder(TlsAttempt attempt, ChainReport report, Throwable cause) {
        this.attempt = attempt;
        this.report = report;
        this.cause = cause;
        evidence.put("host", attempt.host());
        evidence.put("port", attempt.port());
        evidence.put("sniSent", attempt.sniSent() != null ? attempt.sniSent()
                : HostNames.isAddress(attempt.host()) ? "none (IP literal)" : "none");
        evidence.put("stage", attempt.stage().label());
        evidence.put("protocol", attempt.protocol());
        evidence.put("cipher", attempt.cipher());
    }

    /** Returns whether no SNI name could be sent because the origin is an IP literal. */
    boolean noSni() {
        return attempt.sniSent() == null && HostNames.isAddress(attempt.host());
    }

    /**
     * Returns a certificate failure.
     *
     * @param detail what happened, in one specific sentence built from the evidence
     * @param details the Proxy-Status {@code details}
     * @param steps the owner's steps after the openssl line
     */
    Failure certificate(FailureCode code, String detail, String details, String... steps) {
        return build(code, CERTIFICATE_ERROR, detail, details, steps);
    }

    /** Returns a handshake failure (OriginSslHandshakeFailed) with this Proxy-Status error. */
    Failure handshake(String error, String detail, String details, String... steps) {
        return build(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, error, detail, details, steps);
    }

    private Failure build(FailureCode code, String error, String detail, String details, String... steps) {
        Map<String, Object> ps = new LinkedHashMap<>();
        ps.put("details", details);
        ps.putAll(params);
        List<Map<String, Object>> chain = new ArrayList<>();
        for (CertificateFacts f : report.certificates()) {
            chain.add(f.toEvidence());
        }
        evidence.put("chain", chain.isEmpty() ? null : chain);
        evidence.put("jsseError", Causes.describe(Causes.innermost(cause)));
        List<String> remediation = new ArrayList<>();
        remediation.add(opensslLine(attempt));
        remediation.addAll(List.of(steps));
        return new Failure(code, error, ps, detail, evidence.build(), remediation);
    }

    private static String opensslLine(TlsAttempt a) {
        String host = a.host().contains(":") && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
        StringBuilder s = new StringBuilder("openssl s_client -connect ").append(host).append(':').append(a.port());
        if (a.sniSent() != null) {
            s.append(" -servername ").append(a.sniSent());
        }
        if (a.expectedName() != null) {
            s.append(HostNames.isAddress(a.expectedName()) ? " -verify_ip " : " -verify_hostname ").append(a.expectedName());
        }
        if (a.caBundle() != null) {
            s.append(" -CAfile ").append(a.caBundle());
        }
        return s.append(" -showcerts </dev/null").toString();
    }
}
