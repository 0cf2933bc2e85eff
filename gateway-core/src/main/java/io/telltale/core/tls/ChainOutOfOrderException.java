package io.telltale.core.tls;

import java.security.cert.CertificateException;

/**
 * Raised by the recording trust manager under {@code chainOrder: strict} when a chain verified only after
 * reordering; JSSE turns it into a failed handshake, and the classifier names it OriginSslChainOutOfOrder.
 */
public final class ChainOutOfOrderException extends CertificateException {
    private final transient ChainReport report;

    ChainOutOfOrderException(ChainReport report) {
        super("certificate chain out of order: issuer path through sent positions " + report.path());
        this.report = report;
    }

    /** Returns the inspection that found the disorder. */
    public ChainReport report() {
        return report;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
