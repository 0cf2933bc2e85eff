package io.telltale.core.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.Mapping;
import io.telltale.core.config.ServerConfig;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.config.SiteTlsConfig;
import io.telltale.core.http.HostNames;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * The edge's certificates chosen by SNI: each site's {@link SslContext} under its exact and
 * {@code *.example.com} host names, for Netty's {@code SniHandler}; an unknown name gets the default
 * site's certificate or, without one, a handshake refused with alert {@code unrecognized_name}.
 * {@link #reload} swaps the whole mapping at once, keeping the old one when the new files are bad.
 */
public final class EdgeTlsContexts implements Mapping<String, SslContext> {
    /** TLS 1.3 suites and the TLS 1.2 ECDHE AEAD suites (Mozilla "intermediate" without DHE). */
    static final List<String> MODERN_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final Clock clock;
    private final AtomicReference<Snapshot> current;

    private EdgeTlsContexts(Clock clock, Snapshot first) {
        this.clock = clock;
        this.current = new AtomicReference<>(first);
    }

    /**
     * Loads every site's certificate; problems name the field and file, e.g.
     * {@code sites[1].tls.certificate: /etc/x.pem (expected: ...; the file does not exist)} (indexes from 0).
     */
    public static EdgeTlsContexts load(ServerConfig server, List<SiteConfig> sites, Clock clock) throws TlsConfigException {
        return new EdgeTlsContexts(clock, build(server, sites, clock));
    }

    /** Re-reads every site's files and swaps the mapping; on any problem the current mapping stays. */
    public void reload(ServerConfig server, List<SiteConfig> sites) throws TlsConfigException {
        current.set(build(server, sites, clock));
    }

    /** Returns the context for an SNI name (null when the client sent none). */
    @Override
    public SslContext map(String sniHostName) {
        Snapshot s = current.get();
        SiteContext site = s.lookup(sniHostName);
        if (site != null) {
            return site.context();
        }
        return sniHostName == null ? s.noSni() : s.unrecognized();
    }

    /** Returns the name of the site whose certificate answers this SNI name, or null when the handshake is refused. */
    public String siteFor(String sniHostName) {
        SiteContext site = current.get().lookup(sniHostName);
        return site == null ? null : site.name();
    }

    /** Returns whether no site has a certificate (then there is nothing to serve HTTPS with). */
    public boolean isEmpty() {
        return current.get().exact().isEmpty() && current.get().wildcard().isEmpty();
    }

    private static Snapshot build(ServerConfig server, List<SiteConfig> sites, Clock clock) throws TlsConfigException {
        List<String> problems = new ArrayList<>();
        Map<String, SiteContext> exact = new HashMap<>();
        Map<String, SiteContext> wildcard = new HashMap<>();
        Map<String, SiteContext> byName = new HashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteConfig site = sites.get(i);
            if (site.tls() == null) {
                continue;
            }
            SslContext context = siteContext("sites[" + i + "].tls.", site, alpn(server), clock.instant(), problems);
            if (context == null) {
                continue;
            }
            SiteContext sc = new SiteContext(site.name(), context);
            byName.put(site.name(), sc);
            for (String host : site.hosts()) {
                String h = HostNames.normalize(host);
                if (h.startsWith("*.")) {
                    wildcard.putIfAbsent(h.substring(2), sc);
                } else {
                    exact.putIfAbsent(h, sc);
                }
            }
        }
        String defaultSite = server.defaultCertificateSite();
        SiteContext fallback = defaultSite == null ? null : byName.get(defaultSite);
        if (defaultSite != null && fallback == null && problems.isEmpty()) {
            problems.add("server.defaultCertificateSite: " + defaultSite + " (expected: the name of a site with tls; sites with tls: "
                    + byName.keySet() + ")");
        }
        if (!problems.isEmpty()) {
            throw new TlsConfigException(problems);
        }
        SslContext any = byName.isEmpty() ? null : byName.values().iterator().next().context();
        return new Snapshot(Map.copyOf(exact), Map.copyOf(wildcard), fallback,
                any == null ? null : new RefusingContext(any, true),
                any == null ? null : new RefusingContext(any, false));
    }

    /** Returns the protocols offered by ALPN, preferred first: {@code h2} when enabled, then {@code http/1.1}. */
    private static List<String> alpn(ServerConfig server) {
        return server.http2() != null && server.http2().tls()
                ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
    }

    private static SslContext siteContext(String field, SiteConfig site, List<String> alpn, Instant now,
                                          List<String> problems) {
        SiteTlsConfig tls = site.tls();
        int before = problems.size();
        List<X509Certificate> chain = List.of();
        PrivateKey key = null;
        try {
            chain = PemFiles.certificates(Path.of(tls.certificate()));
        } catch (PemFiles.PemException e) {
            problems.add(field + "certificate: " + tls.certificate() + " (expected: a readable PEM certificate chain; " + e.getMessage() + ")");
        }
        try {
            key = PemFiles.privateKey(Path.of(tls.key()));
        } catch (PemFiles.PemException e) {
            problems.add(field + "key: " + tls.key() + " (expected: a readable PKCS#8 PEM private key; " + e.getMessage() + ")");
        }
        if (problems.size() > before) {
            return null;
        }
        checkCertificate(field + "certificate: " + tls.certificate(), site, chain, now, problems);
        if (!matches(key, chain.get(0))) {
            problems.add(field + "key: " + tls.key() + " (expected: the private key of the leaf certificate in "
                    + tls.certificate() + "; it belongs to another certificate)");
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(Path.of(tls.certificate()).toFile(), Path.of(tls.key()).toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(MODERN_CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                    .build();
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            problems.add(field + "key: " + tls.key() + " (expected: a key and chain the TLS stack can load; " + e.getMessage() + ")");
            return null;
        }
    }

    private static void checkCertificate(String subject, SiteConfig site, List<X509Certificate> chain, Instant now,
                                         List<String> problems) {
        ChainReport report = ChainInspector.inspect(chain, null, now);
        if (report.expiredIndex() >= 0) {
            CertificateFacts f = report.certificates().get(report.expiredIndex());
            problems.add(subject + " (expected: certificates valid now; " + f.subject() + " expired at " + f.notAfter() + ")");
        }
        if (report.notYetValidIndex() >= 0) {
            CertificateFacts f = report.certificates().get(report.notYetValidIndex());
            problems.add(subject + " (expected: certificates valid now; " + f.subject() + " is not valid before " + f.notBefore() + ")");
        }
        List<String> uncovered = new ArrayList<>();
        for (String host : site.hosts()) {
            if (!report.leaf().covers(host)) {
                uncovered.add(host);
            }
        }
        if (!uncovered.isEmpty()) {
            problems.add(subject + " (expected: a certificate covering every host of site " + site.name()
                    + "; it does not cover " + uncovered + ", it covers " + report.leaf().names() + ")");
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private record SiteContext(String name, SslContext context) {
    }

    /** One immutable mapping; swapped whole on reload. */
    private record Snapshot(Map<String, SiteContext> exact, Map<String, SiteContext> wildcard, SiteContext fallback,
                            SslContext unrecognized, SslContext noSni) {
        SiteContext lookup(String sni) {
            if (sni == null) {
                return fallback;
            }
            String name = HostNames.normalize(sni);
            SiteContext site = exact.get(name);
            int dot = name.indexOf('.');
            if (site == null && dot > 0) {
                site = wildcard.get(name.substring(dot + 1));
            }
            return site == null ? fallback : site;
        }
    }

    /**
     * Refuses every handshake: with an SNI name, by a matcher that accepts none (JSSE then sends
     * {@code unrecognized_name}); without one, by enabling no cipher suite (JSSE then closes the connection without a certificate).
     */
    private static final class RefusingContext extends DelegatingSslContext {
        private final boolean sniPresent;

        RefusingContext(SslContext delegate, boolean sniPresent) {
            super(delegate);
            this.sniPresent = sniPresent;
        }

        @Override
        protected void initEngine(SSLEngine engine) {
            if (!sniPresent) {
                engine.setEnabledCipherSuites(new String[0]);
                return;
            }
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName serverName) {
                    return false;
                }
            }));
            engine.setSSLParameters(parameters);
        }
    }
}
