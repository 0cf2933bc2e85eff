package io.telltale.core.tls;

import java.util.List;

/**
 * What inspecting a presented certificate chain found.
 *
 * @param certificates the facts of each certificate, in the order the server sent them
 * @param path indexes into {@code certificates} of the issuer path built from the leaf, leaf first
 * @param unused indexes of certificates that are on no path from the leaf
 * @param missingIssuer the issuer DN of the path's top certificate when that certificate is not
 *     self-signed (the certificate the server did not send), else null
 * @param expiredIndex the index of the first certificate past its notAfter, or -1
 * @param notYetValidIndex the index of the first certificate before its notBefore, or -1
 * @param nameMatches whether the leaf covers the expected name (true when no name was expected)
 */
public record ChainReport(
        List<CertificateFacts> certificates,
        List<Integer> path,
        List<Integer> unused,
        String missingIssuer,
        int expiredIndex,
        int notYetValidIndex,
        boolean nameMatches) {

    public ChainReport {
        certificates = List.copyOf(certificates);
        path = List.copyOf(path);
        unused = List.copyOf(unused);
    }

    /** Returns whether nothing was recorded (the handshake failed before the certificate arrived). */
    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    /** Returns whether the chain was sent leaf first, each certificate followed by its issuer. */
    public boolean inOrder() {
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i) != i) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether the chain is a single certificate that signed itself. */
    public boolean selfSignedLeaf() {
        return path.size() == 1 && !certificates.isEmpty() && certificates.get(0).selfSigned();
    }

    /** Returns whether the built path ends at a self-signed (root) certificate. */
    public boolean endsAtSelfSigned() {
        return !path.isEmpty() && certificates.get(path.get(path.size() - 1)).selfSigned();
    }

    /** Returns the facts of the path's top certificate, or null when nothing was recorded. */
    public CertificateFacts top() {
        return path.isEmpty() ? null : certificates.get(path.get(path.size() - 1));
    }

    /** Returns the leaf's facts, or null when nothing was recorded. */
    public CertificateFacts leaf() {
        return certificates.isEmpty() ? null : certificates.get(0);
    }
}
