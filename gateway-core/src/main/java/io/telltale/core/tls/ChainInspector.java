package io.telltale.core.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Inspects a presented certificate chain: issuer path, order, missing issuer, validity and name. */
public final class ChainInspector {
    private ChainInspector() {
    }

    /**
     * Inspects the chain as the server sent it (leaf first, as TLS requires).
     *
     * @param presented the certificates the server sent, possibly empty
     * @param expectedName the name the gateway verifies, or null to skip the name check
     * @param now the instant validity is judged at
     */
    public static ChainReport inspect(List<X509Certificate> presented, String expectedName, Instant now) {
        List<CertificateFacts> facts = new ArrayList<>(presented.size());
        for (X509Certificate c : presented) {
            facts.add(CertificateFacts.of(c));
        }
        List<Integer> path = new ArrayList<>();
        boolean[] used = new boolean[presented.size()];
        String missingIssuer = null;
        if (!presented.isEmpty()) {
            int current = 0;
            used[0] = true;
            path.add(0);
            while (!facts.get(current).selfSigned()) {
                int issuer = issuerOf(presented, used, current);
                if (issuer < 0) {
                    missingIssuer = facts.get(current).issuer();
                    break;
                }
                used[issuer] = true;
                path.add(issuer);
                current = issuer;
            }
        }
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                unused.add(i);
            }
        }
        boolean nameMatches = expectedName == null || presented.isEmpty()
                || facts.get(0).covers(expectedName);
        return new ChainReport(facts, path, unused, missingIssuer,
                firstIndex(facts, f -> now.isAfter(f.notAfter())),
                firstIndex(facts, f -> now.isBefore(f.notBefore())),
                nameMatches);
    }

    /** Returns whether {@code issuer} issued {@code certificate}: names chain and the signature verifies. */
    static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static int issuerOf(List<X509Certificate> presented, boolean[] used, int current) {
        for (int i = 0; i < presented.size(); i++) {
            if (!used[i] && signedBy(presented.get(current), presented.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int firstIndex(List<CertificateFacts> facts, java.util.function.Predicate<CertificateFacts> test) {
        for (int i = 0; i < facts.size(); i++) {
            if (test.test(facts.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
