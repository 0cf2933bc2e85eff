package io.telltale.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.telltale.core.config.CertificateCheck;
import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.failure.Failure;
import io.telltale.core.http.HostNames;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Client TLS toward origins: one {@link SslContext} per TLS policy (trust = system store plus the origin's
 * CA bundle, protocols, ciphers, chain order), one {@link SslHandler} per connection with SNI forced and
 * HTTPS name verification set, and classification of a failed handshake from the chain recorded for it.
 */
public final class OriginTlsContexts {
    private static final String HTTPS = "HTTPS";
    private static final String NO_CIPHER = "SSL_NULL_WITH_NULL_NULL";
    private static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

    private final TlsFailureClassifier classifier;
    private final ConcurrentMap<TlsPolicy, SslContext> contexts = new ConcurrentHashMap<>();
    private final Map<SSLEngine, HandshakeRecord> records = Collections.synchronizedMap(new WeakHashMap<>());
    private final Set<String> supportedCiphers;

    /** Creates the contexts; the clock judges certificate validity when a failure is explained. */
    public OriginTlsContexts(Clock clock) {
        this.classifier = new TlsFailureClassifier(clock);
        this.supportedCiphers = Set.of(defaultSslContext().getSupportedSSLParameters().getCipherSuites());
    }

    /**
     * Returns the context for this origin's TLS policy, building and caching it on first use; call it for
     * each HTTPS origin when the configuration is loaded, so that a bad CA bundle, version or cipher is a
     * config error rather than a request failure.
     *
     * @throws TlsConfigException naming {@code caBundle}, {@code minTlsVersion} or {@code ciphers[i]}
     */
    public SslContext context(OriginConfig origin) throws TlsConfigException {
        TlsPolicy policy = TlsPolicy.of(origin);
        SslContext existing = contexts.get(policy);
        if (existing != null) {
            return existing;
        }
        SslContext built = build(policy);
        SslContext raced = contexts.putIfAbsent(policy, built);
        return raced == null ? built : raced;
    }

    /**
     * Creates the handler for one origin connection: SNI is {@code sniName} even without a dot (none for
     * an IP literal), the certificate is verified against it (HTTPS identification) and the handshake
     * times out after the origin's {@code tlsHandshakeTimeout}.
     *
     * @throws IllegalStateException when the origin's TLS configuration is unusable (see {@link #context})
     */
    public SslHandler newHandler(ByteBufAllocator alloc, OriginConfig origin, String sniName, int port) {
        SslContext context;
        try {
            context = context(origin);
        } catch (TlsConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String name = HostNames.normalize(sniName);
        SslHandler handler = context.newHandler(alloc, name, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        String sniSent = null;
        if (!HostNames.isAddress(name)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(name)));
                sniSent = name;
            } catch (IllegalArgumentException e) {
                parameters.setServerNames(List.of());
            }
        }
        // With certificateCheck: none (Cloudflare's Full mode) the name is recorded but never judged.
        parameters.setEndpointIdentificationAlgorithm(origin.certificateCheck() == CertificateCheck.NONE ? null : HTTPS);
        if (origin.protocol() == OriginProtocol.H2) {
            // Both are offered so that an origin without HTTP/2 says so by choosing http/1.1.
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        }
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeoutMillis(origin.tlsHandshakeTimeout().toMillis());
        records.put(engine, new HandshakeRecord(origin.host(), port, sniSent, name, origin.chainOrder(),
                List.of(engine.getEnabledProtocols()), List.of(engine.getEnabledCipherSuites()),
                origin.tlsHandshakeTimeout(), origin.caBundle()));
        return handler;
    }

    /** Returns the chain the origin presented on this handler's connection, empty when none arrived yet. */
    public List<X509Certificate> presentedChain(SslHandler handler) {
        HandshakeRecord record = records.get(handler.engine());
        List<X509Certificate> recorded = record == null ? List.of() : record.chain();
        return recorded.isEmpty() ? sessionChain(handler.engine().getSession()) : recorded;
    }

    /** Returns what is known about this handler's connection, for classification at the given stage. */
    public TlsAttempt attempt(SslHandler handler, TlsStage stage) {
        SSLEngine engine = handler.engine();
        HandshakeRecord r = records.get(engine);
        SSLSession session = engine.getSession();
        String protocol = session.getProtocol();
        String cipher = session.getCipherSuite();
        boolean negotiated = cipher != null && !NO_CIPHER.equals(cipher);
        List<X509Certificate> chain = presentedChain(handler);
        if (r == null) {
            return new TlsAttempt(engine.getPeerHost(), engine.getPeerPort(), null, engine.getPeerHost(), stage,
                    chain, negotiated ? protocol : null, negotiated ? cipher : null,
                    List.of(engine.getEnabledProtocols()), List.of(engine.getEnabledCipherSuites()),
                    ChainOrderPolicy.STRICT, Duration.ofMillis(handler.getHandshakeTimeoutMillis()), null);
        }
        return new TlsAttempt(r.host, r.port, r.sniSent, r.expectedName, stage, chain,
                negotiated ? protocol : null, negotiated ? cipher : null, r.offeredProtocols, r.offeredCiphers,
                r.chainOrder, r.handshakeTimeout, r.caBundle);
    }

    /**
     * Classifies a failure on this handler's connection: always present for {@link TlsStage#HANDSHAKE};
     * for {@link TlsStage#FIRST_READ} present only when the cause is a TLS failure (a late alert), empty
     * for anything else (a plain close or reset is then the response phase's to name).
     */
    public Optional<Failure> classify(SslHandler handler, Throwable cause, TlsStage stage) {
        return classifier.classify(cause, attempt(handler, stage));
    }

    /** Returns the pure classifier these contexts use. */
    public TlsFailureClassifier classifier() {
        return classifier;
    }

    private SslContext build(TlsPolicy policy) throws TlsConfigException {
        List<String> problems = new ArrayList<>();
        List<String> protocols = new ArrayList<>(2);
        int min = VERSIONS.indexOf(policy.minTlsVersion());
        int max = VERSIONS.indexOf(policy.maxTlsVersion());
        if (min < 0) {
            problems.add("minTlsVersion: " + policy.minTlsVersion() + " (expected: TLSv1.2 or TLSv1.3)");
        } else if (max < min) {
            problems.add("maxTlsVersion: " + policy.maxTlsVersion() + " (expected: TLSv1.2 or TLSv1.3, no lower than "
                    + "minTlsVersion " + policy.minTlsVersion() + ")");
        } else {
            for (int v = max; v >= min; v--) {
                protocols.add(VERSIONS.get(v));
            }
        }
        for (int i = 0; i < policy.ciphers().size(); i++) {
            String c = policy.ciphers().get(i);
            if (!supportedCiphers.contains(c)) {
                problems.add("ciphers[" + i + "]: " + c + " (expected: a cipher suite this JDK supports, "
                        + "e.g. TLS_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
            }
        }
        List<X509Certificate> bundle = List.of();
        if (policy.caBundle() != null) {
            try {
                bundle = PemFiles.certificates(Path.of(policy.caBundle()));
            } catch (PemFiles.PemException e) {
                problems.add("caBundle: " + policy.caBundle() + " (expected: a readable PEM file of CA certificates; "
                        + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new TlsConfigException(problems);
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(new RecordingTrustManager(pkix(bundle), policy.chainOrder(),
                            policy.certificateCheck() != CertificateCheck.NONE, records))
                    .protocols(protocols)
                    .endpointIdentificationAlgorithm(policy.certificateCheck() == CertificateCheck.NONE ? null : HTTPS);
            if (!policy.ciphers().isEmpty()) {
                builder.ciphers(policy.ciphers());
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new TlsConfigException(List.of("caBundle: " + policy.caBundle()
                    + " (expected: CA certificates the JDK can trust; " + e.getMessage() + ")"));
        }
    }

    private static X509ExtendedTrustManager pkix(List<X509Certificate> bundle) throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        if (bundle.isEmpty()) {
            return firstExtended(system.getTrustManagers());
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate c : firstExtended(system.getTrustManagers()).getAcceptedIssuers()) {
            anchors.setCertificateEntry("system-" + i++, c);
        }
        for (X509Certificate c : bundle) {
            anchors.setCertificateEntry("bundle-" + i++, c);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(anchors);
        return firstExtended(combined.getTrustManagers());
    }

    private static X509ExtendedTrustManager firstExtended(TrustManager[] managers) throws GeneralSecurityException {
        for (TrustManager m : managers) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509ExtendedTrustManager in the default TrustManagerFactory");
    }

    private static List<X509Certificate> sessionChain(SSLSession session) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** The parts of an origin's configuration that decide its TLS context. */
    private record TlsPolicy(String caBundle, String minTlsVersion, String maxTlsVersion, List<String> ciphers,
            ChainOrderPolicy chainOrder, CertificateCheck certificateCheck) {
        static TlsPolicy of(OriginConfig o) {
            return new TlsPolicy(o.caBundle(), o.minTlsVersion() == null ? "TLSv1.2" : o.minTlsVersion(),
                    o.maxTlsVersion() == null ? "TLSv1.3" : o.maxTlsVersion(),
                    o.ciphers() == null ? List.of() : List.copyOf(o.ciphers()),
                    o.chainOrder() == null ? ChainOrderPolicy.STRICT : o.chainOrder(),
                    o.certificateCheck() == null ? CertificateCheck.VERIFY : o.certificateCheck());
        }
    }
}
