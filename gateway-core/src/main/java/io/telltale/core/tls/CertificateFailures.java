package io.telltale.core.tls;

import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.Moments;
import io.telltale.core.http.HostNames;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Names a failure that is about the origin's certificates rather than the handshake: order, the gateway's
 * {@link CertificatePolicy}, validity dates (of the leaf or of an intermediate), trust and the name.
 */
final class CertificateFailures {
    private final Clock clock;

    CertificateFailures(Clock clock) {
        this.clock = clock;
    }

    /** Returns the certificate failure this cause shows, or null when it is not about certificates. */
    Failure classify(Throwable cause, TlsFailureBuilder b) {
        ChainReport report = b.report;
        if (Causes.find(cause, ChainOutOfOrderException.class) != null) {
            return outOfOrder(b, report);
        }
        CertificatePolicyException policy = Causes.find(cause, CertificatePolicyException.class);
        if (policy != null) {
            return policy(b, policy);
        }
        CertPathValidatorException validator = Causes.find(cause, CertPathValidatorException.class);
        CertPathValidatorException.Reason reason = validator == null ? null : validator.getReason();
        if (Causes.find(cause, CertificateExpiredException.class) != null || reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return validity(b, report, validator, true);
        }
        if (Causes.find(cause, CertificateNotYetValidException.class) != null
                || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return validity(b, report, validator, false);
        }
        if (Causes.find(cause, CertPathBuilderException.class) != null) {
            return untrusted(b, report);
        }
        if (validator != null) {
            return b.certificate(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED,
                    "The origin's certificate chain failed validation: " + reason + ".",
                    "certificate path validation failed: " + reason + " (" + validator.getMessage() + ")",
                    "Reissue or reinstall the origin's certificate chain; the check above shows the failing certificate.");
        }
        CertificateException certificate = Causes.find(cause, CertificateException.class);
        if (certificate != null && (!report.nameMatches() || nameMessage(certificate.getMessage()))) {
            return nameMismatch(b, report);
        }
        return null;
    }

    private static Failure policy(TlsFailureBuilder b, CertificatePolicyException e) {
        CertificateFacts c = e.certificate();
        String which = e.index() == 0 ? "certificate of " + c.displayName()
                : role(b.report, e.index()) + " " + c.displayName() + " (chain position " + e.index() + ")";
        b.evidence.put("certificate", c.subject());
        b.evidence.put("certificateIndex", e.index());
        return switch (e.violation()) {
            case WRONG_PURPOSE -> b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_WRONG_PURPOSE,
                    "The certificate of " + c.displayName() + " is not issued for TLS server authentication: "
                            + "its extended key usage lacks serverAuth.",
                    "leaf " + c.subject() + " has an extendedKeyUsage without serverAuth",
                    "Reissue the certificate of " + c.displayName() + " with extendedKeyUsage serverAuth and install it on the origin.");
            case WEAK_KEY -> {
                int minimum = CertificatePolicy.minimumBits(c.keyAlgorithm());
                b.evidence.put("key", c.keyAlgorithm() + " " + c.keyBits() + " bits");
                b.evidence.put("minimumKey", c.keyAlgorithm() + " " + minimum + " bits");
                yield b.certificate(FailureCode.ORIGIN_SSL_WEAK_KEY,
                        "The " + which + " has a " + c.keyBits() + "-bit " + c.keyAlgorithm() + " key; the gateway accepts "
                                + c.keyAlgorithm() + " keys of " + minimum + " bits or more.",
                        which + " has a " + c.keyBits() + "-bit " + c.keyAlgorithm() + " key (minimum " + minimum + ")",
                        "Make a new " + c.keyAlgorithm() + " key of at least " + minimum + " bits for " + c.displayName()
                                + ", have the CA certify it and install both on the origin.");
            }
            case WEAK_SIGNATURE -> {
                b.evidence.put("signatureAlgorithm", c.signatureAlgorithm());
                yield b.certificate(FailureCode.ORIGIN_SSL_WEAK_SIGNATURE,
                        "The " + which + " is signed with " + c.signatureAlgorithm()
                                + ", a digest anyone can forge a collision for.",
                        which + " is signed with " + c.signatureAlgorithm(),
                        "Have the CA reissue " + c.displayName() + " signed with SHA-256 or better and install it on the origin.");
            }
        };
    }

    private static Failure nameMismatch(TlsFailureBuilder b, ChainReport report) {
        String expected = b.attempt.expectedName();
        CertificateFacts leaf = report.leaf();
        List<String> names = leaf == null ? List.of() : leaf.names();
        b.evidence.put("expectedName", expected);
        b.evidence.put("certificateCommonName", leaf == null ? null : leaf.commonName());
        b.evidence.put("certificateNames", names);
        String covers = names.isEmpty() ? "no name" : String.join(", ", names);
        if (HostNames.isAddress(expected)) {
            String name = names.stream().filter(n -> !HostNames.isAddress(n)).findFirst().orElse(null);
            return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH,
                    "The gateway connects to the IP address " + expected + ", which the origin's certificate (for "
                            + covers + ") does not list.",
                    "certificate for " + names + " does not cover the IP address " + expected,
                    name == null
                            ? "Set this origin's host to the DNS name its certificate is for; only if the origin has no name, "
                                    + "reissue the certificate with an IP subjectAltName " + expected + "."
                            : "Set this origin's host to " + name + " (a name the certificate covers) instead of the IP address.",
                    "An IP subjectAltName is the last resort: few public CAs issue one, and the address may change.");
        }
        return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH,
                "The origin's certificate is for " + covers + ", not for " + expected + ".",
                "certificate for " + names + " does not cover " + expected,
                "Reissue the origin's certificate with a subjectAltName covering " + expected
                        + (names.isEmpty() ? "." : " (it now covers " + covers + ")."),
                "Or point this origin's host/sni at a name the certificate covers.");
    }

    private Failure validity(TlsFailureBuilder b, ChainReport report, CertPathValidatorException validator, boolean expired) {
        CertificateFacts culprit = null;
        int index = expired ? report.expiredIndex() : report.notYetValidIndex();
        if (index >= 0) {
            culprit = report.certificates().get(index);
        } else if (validator != null && validator.getCertPath() != null && validator.getIndex() >= 0) {
            CertPath path = validator.getCertPath();
            culprit = CertificateFacts.of((X509Certificate) path.getCertificates().get(validator.getIndex()));
            index = validator.getIndex();
        }
        Instant now = clock.instant();
        String which = culprit == null ? "a certificate in the chain" : culprit.subject();
        String role = index < 0 ? "a chain certificate" : role(report, index);
        boolean intermediate = index > 0 && culprit != null && !culprit.selfSigned();
        String named = culprit == null ? "A certificate in the origin's chain"
                : index == 0 ? "The certificate of " + culprit.displayName()
                : "The " + role + " " + culprit.displayName() + " (chain position " + index + ")";
        b.evidence.put("certificate", which);
        b.evidence.put("certificateIndex", index >= 0 ? index : null);
        b.evidence.put("certificateRole", index >= 0 ? role : null);
        b.evidence.put("now", now.toString());
        String fixIntermediate = "Install the CA's current intermediate in place of " + which
                + " in the origin's chain file (the leaf need not change), then reload the origin.";
        if (expired) {
            String at = culprit == null ? "unknown" : culprit.notAfter().toString();
            b.evidence.put("notAfter", culprit == null ? null : at);
            String when = culprit == null ? "." : " on " + Moments.at(culprit.notAfter()) + ", "
                    + Moments.relative(culprit.notAfter(), now) + ".";
            return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED,
                    named + " expired" + when,
                    (index > 0 ? role + " at chain position " + index : role) + " " + which + " expired at " + at,
                    intermediate ? fixIntermediate : "Renew " + which + " (expired " + at + ") and install the new chain on the origin.",
                    "If it was renewed already, the origin still serves the old file: reload it.");
        }
        String from = culprit == null ? "unknown" : culprit.notBefore().toString();
        b.evidence.put("notBefore", culprit == null ? null : from);
        String when = culprit == null ? " yet." : " until " + Moments.at(culprit.notBefore()) + ", "
                + Moments.relative(culprit.notBefore(), now) + ".";
        return b.certificate(FailureCode.ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID,
                named + " is not valid" + when,
                (index > 0 ? role + " at chain position " + index : role) + " " + which + " is not valid before " + from,
                intermediate ? fixIntermediate : "Serve the previous certificate until " + from + ", or reissue one valid now.",
                "Check the clocks of the issuing host and of this gateway (now " + now + ").");
    }

    private static Failure untrusted(TlsFailureBuilder b, ChainReport report) {
        if (report.isEmpty()) {
            return b.certificate(FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT,
                    "The origin's certificate is not issued by an authority the gateway trusts.",
                    "no certification path to a trusted root (the chain was not recorded)",
                    "Use a certificate from a public CA or add the issuing root to this origin's caBundle.");
        }
        if (report.selfSignedLeaf()) {
            CertificateFacts leaf = report.leaf();
            return b.certificate(FailureCode.ORIGIN_SSL_SELF_SIGNED_CERTIFICATE,
                    "The origin presents a self-signed certificate for " + leaf.displayName()
                            + ", which no authority the gateway trusts has signed.",
                    "self-signed certificate " + leaf.subject() + " is not trusted",
                    "Install a certificate issued by a public CA on the origin.",
                    "Or, if you control both ends, add this certificate (SHA-256 " + leaf.sha256()
                            + ") to the origin's caBundle.");
        }
        if (report.endsAtSelfSigned()) {
            CertificateFacts root = report.top();
            b.evidence.put("untrustedRoot", root.subject());
            return b.certificate(FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT,
                    "The origin's chain for " + report.leaf().displayName() + " ends at the root " + root.displayName()
                            + ", which the gateway does not trust.",
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
                "The origin sent the certificate of " + top.displayName() + " without its issuer " + missing
                        + ", so the gateway cannot reach a trusted root.",
                "incomplete chain: issuer " + missing + " of " + top.subject()
                        + " was not sent and is not a trusted root (no AIA fetching)",
                "Configure the origin to send the intermediate " + missing + " after its leaf "
                        + "(e.g. nginx ssl_certificate with the full chain file, Apache SSLCertificateFile with the chain appended).",
                "The JDK, like CloudFront, does not fetch missing intermediates (AIA) although browsers may; "
                        + "if " + missing + " is a private root instead, add it to the origin's caBundle.");
    }

    private static Failure outOfOrder(TlsFailureBuilder b, ChainReport report) {
        List<String> sent = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < report.certificates().size(); i++) {
            sent.add(report.certificates().get(i).subject());
            roles.add(role(report, i));
        }
        List<String> wanted = new ArrayList<>();
        for (int i : report.path()) {
            wanted.add(report.certificates().get(i).subject());
        }
        b.evidence.put("orderSent", sent);
        b.evidence.put("orderExpected", wanted);
        return b.certificate(FailureCode.ORIGIN_SSL_CHAIN_OUT_OF_ORDER,
                "The origin sent its chain as " + String.join(", ", roles) + "; each certificate must be followed by its issuer.",
                "chain out of order: sent " + sent + ", expected leaf first then each issuer " + wanted,
                "Reorder the origin's chain file: the leaf first, then each certificate's issuer in turn: " + wanted + ".",
                "Or set this origin's chainOrder: lenient to accept it as the JDK and browsers do.");
    }

    /** Returns what the certificate at this position of the chain as sent is: leaf, intermediate or root. */
    private static String role(ChainReport report, int index) {
        if (index == 0) {
            return "leaf";
        }
        return report.certificates().get(index).selfSigned() ? "root" : "intermediate";
    }

    private static boolean nameMessage(String message) {
        return message != null && (message.contains("subject alternative") || message.contains("No name matching"));
    }
}
