package io.telltale.core.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.http.HostNames;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Names a TLS failure toward an origin: by exception type and reason first, the recorded chain next, the
 * JSSE message text last; the result carries the Proxy-Status error and parameters, the evidence and the
 * remediation (with the {@code openssl s_client} line to repeat the check).
 *
 * <p>It is one decision table read top to bottom, the order of its checks being the point, which is why it
 * stays whole at just over the project's 400 lines.
 */
public final class TlsFailureClassifier {
    private static final String CERTIFICATE_ERROR = "tls_certificate_error";
    private static final String ALERT_RECEIVED = "tls_alert_received";
    private static final String PROTOCOL_ERROR = "tls_protocol_error";
    private static final String NOT_TLS_PREFIX = "not an SSL/TLS record: ";
    private static final int EVIDENCE_BYTES = 64;

    private final Clock clock;

    /** Creates a classifier judging certificate validity at the clock's instant. */
    public TlsFailureClassifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * Classifies a failure; empty only at {@link TlsStage#FIRST_READ} when the cause is not a TLS failure.
     */
    public Optional<Failure> classify(Throwable cause, TlsAttempt attempt) {
        ChainReport report = ChainInspector.inspect(attempt.presentedChain(), attempt.expectedName(), clock.instant());
        Builder b = new Builder(attempt, report, cause);
        Failure certificate = certificateFailure(cause, b, report);
        if (certificate != null) {
            return Optional.of(certificate);
        }
        NotSslRecordException notTls = find(cause, NotSslRecordException.class);
        if (notTls != null) {
            return Optional.of(notTls(notTls, b));
        }
        if (find(cause, SslHandshakeTimeoutException.class) != null) {
            return Optional.of(b.handshake(PROTOCOL_ERROR, "The origin did not complete the TLS handshake in time.",
                    "no TLS handshake completed within " + attempt.handshakeTimeout().toMillis() + " ms",
                    "Check that the origin serves TLS on port " + attempt.port() + " and is not overloaded; "
                            + "the connection opened but the handshake never finished.",
                    "If the origin is merely slow, raise the origin's tlsHandshakeTimeout (now "
                            + attempt.handshakeTimeout().toMillis() + " ms)."));
        }
        String alert = TlsAlerts.received(cause);
        if (alert != null) {
            return Optional.of(alert(alert, b, attempt));
        }
        SSLException ssl = find(cause, SSLException.class);
        String message = ssl == null ? "" : String.valueOf(ssl.getMessage());
        if (message.contains("not accepted by client preferences")) {
            return Optional.of(b.handshake(PROTOCOL_ERROR, "The origin chose a TLS version the gateway does not accept.",
                    "no shared protocol: the origin chose a version outside the gateway's " + attempt.offeredProtocols()
                            + " (" + message + ")",
                    "Enable " + String.join(" or ", attempt.offeredProtocols()) + " on the origin.",
                    "Older versions are refused on purpose; TLS 1.2 is the lowest the gateway offers."));
        }
        if (message.contains("No appropriate protocol")) {
            return Optional.of(b.handshake(PROTOCOL_ERROR, "The gateway's TLS settings for this origin leave nothing to offer.",
                    "the gateway could not offer any protocol/cipher combination: " + attempt.offeredProtocols()
                            + " with ciphers " + attempt.offeredCiphers(),
                    "Fix this origin's minTlsVersion and ciphers so that at least one cipher suite fits a protocol "
                            + "(TLS 1.3 needs a TLS_AES_* or TLS_CHACHA20_* suite)."));
        }
        if (attempt.stage() == TlsStage.HANDSHAKE && closed(cause, message)) {
            return Optional.of(b.handshake(PROTOCOL_ERROR, "The origin closed the connection during the TLS handshake.",
                    "connection closed by the origin before the TLS handshake completed",
                    "Check that the origin serves TLS on port " + attempt.port() + " and accepts the SNI name "
                            + (attempt.sniSent() == null ? "(none sent)" : attempt.sniSent()) + "; its TLS log says why it hung up.",
                    "A firewall or load balancer that resets unknown clients also looks like this."));
        }
        if (attempt.stage() == TlsStage.FIRST_READ && ssl == null) {
            return Optional.empty();
        }
        return Optional.of(b.handshake(PROTOCOL_ERROR, "The TLS handshake with the origin failed.",
                "TLS failure " + describe(innermost(cause)),
                "Repeat the handshake with the openssl line above and read its error."));
    }

    private Failure certificateFailure(Throwable cause, Builder b, ChainReport report) {
        ChainOutOfOrderException disorder = find(cause, ChainOutOfOrderException.class);
        if (disorder != null) {
            return outOfOrder(b, report);
        }
        CertPathValidatorException validator = find(cause, CertPathValidatorException.class);
        CertPathValidatorException.Reason reason = validator == null ? null : validator.getReason();
        if (find(cause, CertificateExpiredException.class) != null || reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return validity(b, report, validator, true);
        }
        if (find(cause, CertificateNotYetValidException.class) != null
                || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return validity(b, report, validator, false);
        }
        if (find(cause, CertPathBuilderException.class) != null) {
            return untrusted(b, report);
        }
        if (validator != null) {
            return b.certificate(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED,
                    "The origin's certificate chain failed validation.",
                    "certificate path validation failed: " + reason + " (" + validator.getMessage() + ")",
                    "Reissue or reinstall the origin's certificate chain; the check above shows the failing certificate.");
        }
        CertificateException certificate = find(cause, CertificateException.class);
        if (certificate != null && (!report.nameMatches() || nameMessage(certificate.getMessage()))) {
            return nameMismatch(b, report);
        }
        return null;
    }

    private static Failure nameMismatch(Builder b, ChainReport report) {
        String expected = b.attempt.expectedName();
        CertificateFacts leaf = report.leaf();
        List<String> names = leaf == null ? List.of() : leaf.names();
        b.evidence.put("expectedName", expected);
        b.evidence.put("certificateCommonName", leaf == null ? null : leaf.commonName());
        b.evidence.put("certificateNames", names);
        return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH,
                "The origin's certificate is not valid for the name the gateway connected to.",
                "certificate for " + names + " does not cover " + expected,
                "Reissue the origin's certificate with a subjectAltName covering " + expected
                        + (names.isEmpty() ? "." : " (it now covers " + String.join(", ", names) + ")."),
                "Or point this origin's host/sni at a name the certificate covers.");
    }

    private Failure validity(Builder b, ChainReport report, CertPathValidatorException validator, boolean expired) {
        CertificateFacts culprit = null;
        int index = expired ? report.expiredIndex() : report.notYetValidIndex();
        if (index >= 0) {
            culprit = report.certificates().get(index);
        } else if (validator != null && validator.getCertPath() != null && validator.getIndex() >= 0) {
            CertPath path = validator.getCertPath();
            culprit = CertificateFacts.of((X509Certificate) path.getCertificates().get(validator.getIndex()));
            index = validator.getIndex();
        }
        String which = culprit == null ? "a certificate in the chain" : culprit.subject();
        String role = index == 0 ? "the leaf" : index > 0 ? "chain position " + index : "a chain certificate";
        b.evidence.put("certificate", which);
        b.evidence.put("certificateIndex", index >= 0 ? index : null);
        b.evidence.put("now", clock.instant().toString());
        if (expired) {
            String at = culprit == null ? "unknown" : culprit.notAfter().toString();
            b.evidence.put("notAfter", culprit == null ? null : at);
            return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED,
                    "The origin's certificate has expired.",
                    role + " " + which + " expired at " + at,
                    "Renew " + which + " (expired " + at + ") and install the new chain on the origin.",
                    "If it was renewed already, the origin still serves the old file: reload it.");
        }
        String from = culprit == null ? "unknown" : culprit.notBefore().toString();
        b.evidence.put("notBefore", culprit == null ? null : from);
        return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID,
                "The origin's certificate is not valid yet.",
                role + " " + which + " is not valid before " + from,
                "Serve the previous certificate until " + from + ", or reissue one valid now.",
                "Check the clocks of the issuing host and of this gateway (now " + clock.instant() + ").");
    }

    private static Failure untrusted(Builder b, ChainReport report) {
        if (report.isEmpty()) {
            return b.certificate(FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT,
                    "The origin's certificate is not issued by a trusted authority.",
                    "no certification path to a trusted root (the chain was not recorded)",
                    "Use a certificate from a public CA or add the issuing root to this origin's caBundle.");
        }
        if (report.selfSignedLeaf()) {
            CertificateFacts leaf = report.leaf();
            return b.certificate(FailureCode.ORIGIN_SSL_SELF_SIGNED_CERTIFICATE,
                    "The origin presents a self-signed certificate.",
                    "self-signed certificate " + leaf.subject() + " is not trusted",
                    "Install a certificate issued by a public CA on the origin.",
                    "Or, if you control both ends, add this certificate (SHA-256 " + leaf.sha256()
                            + ") to the origin's caBundle.");
        }
        if (report.endsAtSelfSigned()) {
            CertificateFacts root = report.top();
            b.evidence.put("untrustedRoot", root.subject());
            return b.certificate(FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT,
                    "The origin's certificate chains to a root the gateway does not trust.",
                    "chain ends at root " + root.subject() + ", which is not a trusted root",
                    "Use a certificate from a CA in the system trust store.",
                    "Or add the root " + root.subject() + " (SHA-256 " + root.sha256() + ") to the origin's caBundle.");
        }
        String missing = report.missingIssuer();
        CertificateFacts top = report.top();
        b.evidence.put("missingIssuer", missing);
        b.evidence.put("lastCertificateSent", top.subject());
        b.evidence.put("aiaFetching", "none: the JDK (like CloudFront) does not fetch missing intermediates; browsers may,"
                + " so the site can look fine in a browser");
        return b.certificate(FailureCode.ORIGIN_SSL_INCOMPLETE_CHAIN,
                "The origin does not send the intermediate certificate needed to reach a trusted root.",
                "incomplete chain: issuer " + missing + " of " + top.subject()
                        + " was not sent and is not a trusted root (no AIA fetching)",
                "Configure the origin to send the intermediate " + missing + " after its leaf "
                        + "(e.g. nginx ssl_certificate with the full chain file, Apache SSLCertificateFile with the chain appended).",
                "The JDK, like CloudFront, does not fetch missing intermediates (AIA) although browsers may; "
                        + "if " + missing + " is a private root instead, add it to the origin's caBundle.");
    }

    private static Failure outOfOrder(Builder b, ChainReport report) {
        List<String> sent = new ArrayList<>();
        for (CertificateFacts f : report.certificates()) {
            sent.add(f.subject());
        }
        List<String> wanted = new ArrayList<>();
        for (int i : report.path()) {
            wanted.add(report.certificates().get(i).subject());
        }
        b.evidence.put("orderSent", sent);
        b.evidence.put("orderExpected", wanted);
        return b.certificate(FailureCode.ORIGIN_SSL_CHAIN_OUT_OF_ORDER,
                "The origin sends its certificate chain out of order.",
                "chain out of order: sent " + sent + ", expected leaf first then each issuer " + wanted,
                "Reorder the origin's chain file: the leaf first, then each certificate's issuer in turn: " + wanted + ".",
                "Or set this origin's chainOrder: lenient to accept it as the JDK and browsers do.");
    }

    private static Failure alert(String alert, Builder b, TlsAttempt attempt) {
        Integer id = TlsAlerts.number(alert);
        b.params.put("alert-id", id);
        b.params.put("alert-message", alert);
        b.evidence.put("alertReceived", alert + (id == null ? "" : " (" + id + ")"));
        b.evidence.put("offeredProtocols", attempt.offeredProtocols());
        String late = attempt.stage() == TlsStage.FIRST_READ
                ? " (TLS 1.3 reports a rejected client certificate after the client's side of the handshake completes)" : "";
        return switch (alert) {
            case "protocol_version" -> b.handshake(ALERT_RECEIVED, "The origin and the gateway share no TLS version.",
                    "no shared protocol: the gateway offered " + attempt.offeredProtocols()
                            + " and the origin refused them with alert protocol_version",
                    attempt.offeredProtocols().contains("TLSv1.2")
                            ? "Enable TLS 1.2 or 1.3 on the origin; it refused both."
                            : "Enable TLS 1.3 on the origin, or set this origin's minTlsVersion: TLSv1.2 (the origin likely supports only TLS 1.2).");
            case "handshake_failure", "insufficient_security" -> {
                b.evidence.put("offeredCiphers", attempt.offeredCiphers());
                yield b.handshake(ALERT_RECEIVED, "The origin and the gateway share no cipher suite.",
                        "origin sent alert " + alert + ": most often no shared cipher suite (or, under TLS 1.2, "
                                + "a required client certificate); the gateway offered " + attempt.offeredCiphers().size()
                                + " suites over " + attempt.offeredProtocols(),
                        "Enable a modern AEAD suite on the origin (TLS_AES_128_GCM_SHA256 for TLS 1.3, "
                                + "ECDHE with AES-GCM or CHACHA20 for TLS 1.2).",
                        "Or list a suite the origin supports in this origin's ciphers.");
            }
            case "bad_certificate", "certificate_required", "certificate_unknown", "unknown_ca", "access_denied" ->
                    b.handshake(ALERT_RECEIVED, "The origin requires a client certificate, which the gateway does not send.",
                            "origin sent alert " + alert + ": it requires a client certificate (mutual TLS)" + late,
                            "The gateway presents no client certificate: exempt the gateway's address from client "
                                    + "certificate checks on the origin (e.g. nginx ssl_verify_client optional).",
                            "Or protect the origin with a shared secret header added by an edge rule instead.");
            case "unrecognized_name" -> b.handshake(ALERT_RECEIVED, "The origin does not serve the name the gateway asked for.",
                    "origin sent alert unrecognized_name for SNI " + attempt.sniSent(),
                    "Configure the origin to serve " + attempt.expectedName() + ", or change this origin's sni mode/host.");
            default -> b.handshake(ALERT_RECEIVED, "The origin aborted the TLS handshake.",
                    "origin sent alert " + alert + late,
                    "Read the origin's TLS log for why it sent " + alert + ".");
        };
    }

    private static Failure notTls(NotSslRecordException e, Builder b) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf(NOT_TLS_PREFIX);
        String printable = at < 0 ? message : printable(message.substring(at + NOT_TLS_PREFIX.length()).trim());
        b.evidence.put("firstBytes", printable);
        boolean http = printable.startsWith("HTTP/");
        return b.handshake(PROTOCOL_ERROR, "The origin answered TLS with something that is not TLS.",
                (http ? "origin answered plain HTTP on its TLS port: " : "origin answered non-TLS bytes on its TLS port: ")
                        + printable,
                "Port " + b.attempt.port() + " speaks " + (http ? "plain HTTP" : "something other than TLS")
                        + ": set this origin's protocol to http-only, or httpsPort to the origin's TLS port.");
    }

    private static String printable(String hex) {
        String digits = hex.length() % 2 == 0 ? hex : hex.substring(0, hex.length() - 1);
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(digits.substring(0, Math.min(digits.length(), EVIDENCE_BYTES * 2)));
        } catch (IllegalArgumentException e) {
            return hex;
        }
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            char c = (char) (x & 0xff);
            out.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c >= 0x20 && c < 0x7f ? String.valueOf(c) : ".");
        }
        return out.toString();
    }

    private static boolean closed(Throwable cause, String sslMessage) {
        if (find(cause, ClosedChannelException.class) != null) {
            return true;
        }
        if (sslMessage.contains("Remote host terminated") || sslMessage.contains("closing inbound before")) {
            return true;
        }
        IOException io = find(cause, IOException.class);
        return io != null && io.getMessage() != null && io.getMessage().contains("reset");
    }

    private static boolean nameMessage(String message) {
        return message != null && (message.contains("subject alternative") || message.contains("No name matching"));
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable innermost(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Accumulates the common evidence and builds a failure. */
    private static final class Builder {
        final TlsAttempt attempt;
        final ChainReport report;
        final Throwable cause;
        final Evidence.Builder evidence = Evidence.builder();
        final Map<String, Object> params = new LinkedHashMap<>();

        Builder(TlsAttempt attempt, ChainReport report, Throwable cause) {
            this.attempt = attempt;
            this.report = report;
            this.cause = cause;
            evidence.put("host", attempt.host());
            evidence.put("port", attempt.port());
            evidence.put("sniSent", attempt.sniSent() == null ? "none (IP literal)" : attempt.sniSent());
            evidence.put("stage", attempt.stage().label());
            evidence.put("protocol", attempt.protocol());
            evidence.put("cipher", attempt.cipher());
        }

        Failure certificate(FailureCode code, String detail, String details, String... steps) {
            return build(code, CERTIFICATE_ERROR, detail, details, steps);
        }

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
            evidence.put("jsseError", describe(innermost(cause)));
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
}
