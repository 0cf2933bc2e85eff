package io.telltale.core.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Names a TLS failure toward an origin: by exception type and reason first, the recorded chain next, the
 * JSSE message text last; the result carries the Proxy-Status error and parameters, the evidence and the
 * remediation (with the {@code openssl s_client} line to repeat the check).
 *
 * <p>It is one decision table read top to bottom, the order of its checks being the point; the certificate
 * rows are asked first, in {@link CertificateFailures}.
 */
public final class TlsFailureClassifier {
    private static final String ALERT_RECEIVED = "tls_alert_received";
    private static final String PROTOCOL_ERROR = "tls_protocol_error";
    private static final String NOT_TLS_PREFIX = "not an SSL/TLS record: ";
    private static final int EVIDENCE_BYTES = 64;

    private final Clock clock;
    private final CertificateFailures certificates;

    /** Creates a classifier judging certificate validity at the clock's instant. */
    public TlsFailureClassifier(Clock clock) {
        this.clock = clock;
        this.certificates = new CertificateFailures(clock);
    }

    /**
     * Classifies a failure; empty only at {@link TlsStage#FIRST_READ} when the cause is not a TLS failure.
     */
    public Optional<Failure> classify(Throwable cause, TlsAttempt attempt) {
        ChainReport report = ChainInspector.inspect(attempt.presentedChain(), attempt.expectedName(), clock.instant());
        TlsFailureBuilder b = new TlsFailureBuilder(attempt, report, cause);
        Failure certificate = certificates.classify(cause, b);
        if (certificate != null) {
            return Optional.of(certificate);
        }
        NotSslRecordException notTls = Causes.find(cause, NotSslRecordException.class);
        if (notTls != null) {
            return Optional.of(notTls(notTls, b));
        }
        if (Causes.find(cause, SslHandshakeTimeoutException.class) != null) {
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
        SSLException ssl = Causes.find(cause, SSLException.class);
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
                "TLS failure " + Causes.describe(Causes.innermost(cause)),
                "Repeat the handshake with the openssl line above and read its error."));
    }

    private static Failure alert(String alert, TlsFailureBuilder b, TlsAttempt attempt) {
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
                if (b.noSni()) {
                    yield noSni(alert, b);
                }
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
            case "unrecognized_name" -> b.noSni() ? noSni(alert, b)
                    : b.handshake(ALERT_RECEIVED, "The origin does not serve " + attempt.sniSent()
                                    + ": it answered that SNI name with alert unrecognized_name.",
                            "origin sent alert unrecognized_name for SNI " + attempt.sniSent(),
                            "Configure the origin to serve " + attempt.sniSent() + ", or change this origin's sni mode/host.");
            default -> b.handshake(ALERT_RECEIVED, "The origin aborted the TLS handshake.",
                    "origin sent alert " + alert + late,
                    "Read the origin's TLS log for why it sent " + alert + ".");
        };
    }

    private static Failure noSni(String alert, TlsFailureBuilder b) {
        String address = b.attempt.host();
        return b.handshake(ALERT_RECEIVED, "The gateway connects to the IP address " + address
                        + ", so it could send no SNI name, and the origin refused the handshake with alert " + alert
                        + ": it serves only clients that name the site.",
                "no SNI sent (the origin is the IP address " + address + ") and the origin answered alert " + alert,
                "Set this origin's host to the site's DNS name (the gateway then sends it as SNI) instead of " + address + ".",
                "Or, if the origin must stay an IP address, set its sni: viewer-host so the gateway sends the visitor's Host as SNI.");
    }

    private static Failure notTls(NotSslRecordException e, TlsFailureBuilder b) {
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
        if (Causes.find(cause, ClosedChannelException.class) != null) {
            return true;
        }
        if (sslMessage.contains("Remote host terminated") || sslMessage.contains("closing inbound before")) {
            return true;
        }
        IOException io = Causes.find(cause, IOException.class);
        return io != null && io.getMessage() != null && io.getMessage().contains("reset");
    }
}
