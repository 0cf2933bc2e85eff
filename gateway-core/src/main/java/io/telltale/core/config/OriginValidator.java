package io.telltale.core.config;

import io.telltale.core.http.HostNames;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** Checks one origin: its address, the ports its protocol policy can use, its timeouts and its TLS settings. */
final class OriginValidator {
    private static final List<String> TLS_VERSIONS = List.of("TLSv1.2", "TLSv1.3");
    private static final Duration MIN_ATTEMPT_DELAY = Duration.ofMillis(10);
    private static final Duration MAX_ATTEMPT_DELAY = Duration.ofSeconds(2);

    private OriginValidator() {
    }

    /** Checks an origin at {@code path}, given the site's allowed origin ports (empty when any allowed port will do). */
    static void check(OriginConfig origin, List<Integer> allowedPorts, String path, Problems problems) {
        if (!HostNames.isDnsName(origin.host()) && !HostNames.isIpLiteral(origin.host())) {
            problems.add(Problems.child(path, "host"), Problems.shorten(origin.host()),
                    "a DNS name such as origin.example.com or an IP literal");
        }
        if (origin.protocol() != OriginProtocol.HTTPS_ONLY && origin.protocol() != OriginProtocol.H2) {
            checkPort(origin.httpPort(), Problems.child(path, "httpPort"), allowedPorts, problems);
        }
        if (origin.protocol() != OriginProtocol.HTTP_ONLY && origin.protocol() != OriginProtocol.H2C) {
            checkPort(origin.httpsPort(), Problems.child(path, "httpsPort"), allowedPorts, problems);
        }
        ConfigValidator.positive(origin.connectTimeout(), Problems.child(path, "connectTimeout"), problems);
        Duration delay = origin.connectionAttemptDelay();
        if (delay != null && (delay.compareTo(MIN_ATTEMPT_DELAY) < 0 || delay.compareTo(MAX_ATTEMPT_DELAY) > 0)) {
            problems.add(Problems.child(path, "connectionAttemptDelay"), Durations.format(delay),
                    "a duration from 10ms to 2s (RFC 8305)");
        }
        if (origin.weight() < 1 || origin.weight() > 1000) {
            problems.add(Problems.child(path, "weight"), Integer.toString(origin.weight()), "an integer from 1 to 1000");
        }
        ConfigValidator.positive(origin.tlsHandshakeTimeout(), Problems.child(path, "tlsHandshakeTimeout"), problems);
        ConfigValidator.positive(origin.responseTimeout(), Problems.child(path, "responseTimeout"), problems);
        ConfigValidator.positive(origin.idleTimeout(), Problems.child(path, "idleTimeout"), problems);
        if (!TLS_VERSIONS.contains(origin.minTlsVersion())) {
            problems.add(Problems.child(path, "minTlsVersion"), Problems.shorten(origin.minTlsVersion()),
                    "TLSv1.2 or TLSv1.3");
        }
        if (origin.maxTlsVersion() != null && !TLS_VERSIONS.contains(origin.maxTlsVersion())) {
            problems.add(Problems.child(path, "maxTlsVersion"), Problems.shorten(origin.maxTlsVersion()),
                    "TLSv1.2 or TLSv1.3");
        } else if (TLS_VERSIONS.indexOf(origin.maxTlsVersion()) < TLS_VERSIONS.indexOf(origin.minTlsVersion())) {
            problems.add(Problems.child(path, "maxTlsVersion"), origin.maxTlsVersion(),
                    "a version no lower than minTlsVersion " + origin.minTlsVersion());
        }
        ProfileRules.check(origin, path, problems);
        checkCiphers(ConfigValidator.orEmpty(origin.ciphers()), Problems.child(path, "ciphers"), problems);
        if (origin.caBundle() != null) {
            ConfigValidator.notBlank(origin.caBundle(), Problems.child(path, "caBundle"),
                    "a PEM file of trusted roots, or no caBundle", problems);
        }
    }

    /**
     * Reports an origin IP literal that every connect would refuse: an internal address the site's
     * allowedOriginNetworks does not allow, which would only ever answer 502 OriginIpProhibited.
     */
    static void checkReachable(OriginConfig origin, List<Cidr> allowedNetworks, String path, Problems problems) {
        if (!HostNames.isIpLiteral(origin.host())) {
            return;
        }
        InternalNetworks.literalRangeOf(origin.host(), allowedNetworks).ifPresent(range -> problems.add(
                Problems.child(path, "host"), origin.host(), "an address the gateway may connect to: "
                        + origin.host() + " is in the " + range.name() + " range " + range.cidr()
                        + ", so list that network in the site's allowedOriginNetworks"));
    }

    private static void checkPort(int port, String path, List<Integer> allowedPorts, Problems problems) {
        if (!PortRules.isAllowedOriginPort(port)) {
            problems.add(path, Integer.toString(port), PortRules.ORIGIN_PORT_EXPECTED);
        } else if (!allowedPorts.isEmpty() && !allowedPorts.contains(port)) {
            problems.add(path, Integer.toString(port), "one of the site's allowedOriginPorts " + allowedPorts);
        }
    }

    private static void checkCiphers(List<String> ciphers, String path, Problems problems) {
        if (ciphers.isEmpty()) {
            return;
        }
        Set<String> supported = SupportedCiphers.NAMES;
        for (int i = 0; i < ciphers.size(); i++) {
            if (!supported.contains(ciphers.get(i))) {
                problems.add(Problems.element(path, i), Problems.shorten(ciphers.get(i)),
                        "a cipher suite this JVM supports, such as TLS_AES_128_GCM_SHA256");
            }
        }
    }

    /** The JVM's cipher suites, looked up once and only when a config names ciphers. */
    private static final class SupportedCiphers {
        static final Set<String> NAMES = lookUp();

        private static Set<String> lookUp() {
            try {
                return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no default TLS context", e);
            }
        }
    }
}
