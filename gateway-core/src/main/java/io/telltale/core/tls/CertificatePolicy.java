package io.telltale.core.tls;

import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * The gateway's own rules for an origin's chain beyond what PKIX checks: the leaf must be issued for TLS
 * server authentication, no key may be weaker than the CA/Browser Forum's minimum, and no certificate may be
 * signed with SHA-1 or MD5.
 *
 * <p>The JDK accepts a 1024-bit RSA key and a SHA-1 signature under a private root, and rejects a wrong
 * extended key usage with a message only; judging them here, before PKIX, gives each its own named failure.
 */
public final class CertificatePolicy {
    /** The smallest RSA or DSA modulus accepted, in bits. */
    public static final int MIN_RSA_BITS = 2048;
    /** The smallest EC curve accepted, in bits. */
    public static final int MIN_EC_BITS = 256;

    private CertificatePolicy() {
    }

    /** One way a certificate breaks the policy. */
    public enum Violation {
        /** The leaf's extended key usage does not include TLS server authentication. */
        WRONG_PURPOSE,
        /** A key is smaller than the minimum for its algorithm. */
        WEAK_KEY,
        /** A certificate is signed with SHA-1 or MD5. */
        WEAK_SIGNATURE
    }

    /** Returns the first violation in the chain as sent (leaf first), or null when it keeps the rules. */
    public static CertificatePolicyException check(X509Certificate[] chain) {
        for (int i = 0; i < chain.length; i++) {
            CertificateFacts facts = CertificateFacts.of(chain[i]);
            if (i == 0 && !facts.serverAuth()) {
                return new CertificatePolicyException(Violation.WRONG_PURPOSE, i, facts);
            }
            if (facts.keyBits() > 0 && facts.keyBits() < minimumBits(facts.keyAlgorithm())) {
                return new CertificatePolicyException(Violation.WEAK_KEY, i, facts);
            }
            // A root's signature on itself is never checked by anyone, so its digest does not matter.
            if (!facts.selfSigned() && weakDigest(facts.signatureAlgorithm())) {
                return new CertificatePolicyException(Violation.WEAK_SIGNATURE, i, facts);
            }
        }
        return null;
    }

    /** Returns the smallest key accepted for this algorithm, in bits. */
    public static int minimumBits(String keyAlgorithm) {
        return "EC".equalsIgnoreCase(keyAlgorithm) ? MIN_EC_BITS : MIN_RSA_BITS;
    }

    private static boolean weakDigest(String signatureAlgorithm) {
        String upper = signatureAlgorithm == null ? "" : signatureAlgorithm.toUpperCase(Locale.ROOT);
        return upper.startsWith("SHA1") || upper.startsWith("MD5") || upper.startsWith("MD2");
    }
}
