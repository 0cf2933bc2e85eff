package io.telltale.core.tls;

import java.security.cert.CertificateException;

/**
 * Raised by the recording trust manager when a presented certificate breaks {@link CertificatePolicy}; JSSE
 * turns it into a failed handshake and the classifier names it by its violation.
 */
public final class CertificatePolicyException extends CertificateException {
    private final CertificatePolicy.Violation violation;
    private final int index;
    private final transient CertificateFacts certificate;

    CertificatePolicyException(CertificatePolicy.Violation violation, int index, CertificateFacts certificate) {
        super(violation + " at chain position " + index + ": " + certificate.subject());
        this.violation = violation;
        this.index = index;
        this.certificate = certificate;
    }

    /** Returns the rule broken. */
    public CertificatePolicy.Violation violation() {
        return violation;
    }

    /** Returns the position in the chain as sent, 0 being the leaf. */
    public int index() {
        return index;
    }

    /** Returns the facts of the offending certificate. */
    public CertificateFacts certificate() {
        return certificate;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
