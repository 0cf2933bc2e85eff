package io.telltale.core.tls;

import io.telltale.core.config.ChainOrderPolicy;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Keeps the chain each origin presented, per {@link SSLEngine}, before delegating to PKIX validation (and
 * the HTTPS name check), so that a rejected chain can still be inspected; it refuses a chain that breaks
 * {@link CertificatePolicy} first, and under {@code chainOrder: strict}
 * it also refuses a chain the JDK accepted only after reordering.
 *
 * <p>It must extend {@link X509ExtendedTrustManager}: the JDK wraps a plain trust manager and would hide
 * the engine.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final ChainOrderPolicy chainOrder;
    private final boolean verify;
    private final Map<SSLEngine, HandshakeRecord> records;

    RecordingTrustManager(X509ExtendedTrustManager delegate, ChainOrderPolicy chainOrder, boolean verify,
                          Map<SSLEngine, HandshakeRecord> records) {
        this.delegate = delegate;
        this.chainOrder = chainOrder;
        this.verify = verify;
        this.records = records;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        HandshakeRecord record = records.get(engine);
        if (record != null) {
            record.chain(chain.clone());
        }
        if (!verify) {
            return;
        }
        CertificatePolicyException violation = CertificatePolicy.check(chain);
        if (violation != null) {
            throw violation;
        }
        delegate.checkServerTrusted(chain, authType, engine);
        if (chainOrder == ChainOrderPolicy.STRICT) {
            // Only the order is judged here, so no name and any instant will do.
            ChainReport report = ChainInspector.inspect(List.of(chain), null, Instant.EPOCH);
            if (!report.inOrder()) {
                throw new ChainOutOfOrderException(report);
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
