package io.telltale.core.diagnosis;

import io.telltale.core.config.OriginConfig;
import io.telltale.core.dns.ProhibitedAddresses;
import java.time.Duration;
import java.util.List;

/**
 * How a probe runs: which resolvers, SNI and trust it uses, its time limits and the address rules it applies.
 *
 * @param resolvers recursive resolvers as {@code IP} or {@code IP:port} literals; empty means a host name fails
 *     (the system resolver is never used)
 * @param sni the name sent as SNI, verified in the certificate and sent as Host; null for the URL's host
 * @param caBundle a PEM file of extra trusted roots for HTTPS, or null for the system store only
 * @param stepTimeout the time each step (DNS, TCP, TLS, HTTP) may take
 * @param totalTimeout the time the whole probe may take
 * @param addressRules the site's address rules: an address they prohibit fails as {@code OriginIpProhibited};
 *     null only notes a prohibited range in the evidence and connects anyway
 * @param maxResponseHeaderSize the largest response header section accepted ({@code OriginHeaderTooBig} beyond)
 * @param tlsTemplate an origin whose TLS settings (versions, ciphers, chain order, certificate check) the probe offers
 *     and applies, as a CDN profile sets them; null for the gateway's own
 */
public record ProbeOptions(
        List<String> resolvers,
        String sni,
        String caBundle,
        Duration stepTimeout,
        Duration totalTimeout,
        ProhibitedAddresses addressRules,
        int maxResponseHeaderSize,
        OriginConfig tlsTemplate) {
    /** The default time limit of each step. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(5);
    /** The default largest response header section, as {@code limits.maxResponseHeaderSize}. */
    public static final int DEFAULT_MAX_RESPONSE_HEADER_SIZE = 64 * 1024;
    private static final int STEPS = 4;

    public ProbeOptions {
        resolvers = resolvers == null ? List.of() : List.copyOf(resolvers);
        stepTimeout = positive(stepTimeout, DEFAULT_STEP_TIMEOUT, "stepTimeout");
        totalTimeout = positive(totalTimeout, stepTimeout.multipliedBy(STEPS), "totalTimeout");
        maxResponseHeaderSize = maxResponseHeaderSize <= 0 ? DEFAULT_MAX_RESPONSE_HEADER_SIZE : maxResponseHeaderSize;
    }

    /** Returns options that offer the gateway's own TLS. */
    public ProbeOptions(List<String> resolvers, String sni, String caBundle, Duration stepTimeout, Duration totalTimeout,
            ProhibitedAddresses addressRules, int maxResponseHeaderSize) {
        this(resolvers, sni, caBundle, stepTimeout, totalTimeout, addressRules, maxResponseHeaderSize, null);
    }

    /** Returns options with these resolvers and every other setting at its default (5 s a step, 20 s in all). */
    public static ProbeOptions withResolvers(List<String> resolvers) {
        return new ProbeOptions(resolvers, null, null, null, null, null, 0);
    }

    private static Duration positive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: a positive duration)");
        }
        return value;
    }
}
