package io.telltale.server.lab.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and the chain a server sends with it, in the order it is sent (leaf first unless the
 * variant is meant to be out of order).
 *
 * @param key the leaf's private key
 * @param chain the certificates to send
 */
public record LabCertificate(PrivateKey key, List<X509Certificate> chain) {

    public LabCertificate {
        chain = List.copyOf(chain);
    }

    /** Returns the leaf (the first certificate). */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Returns the same key with only the leaf: the intermediate is not sent. */
    public LabCertificate withoutIntermediates() {
        return new LabCertificate(key, List.of(leaf()));
    }

    /** Writes the chain and the PKCS#8 key as PEM files (for the edge's site configuration). */
    public void writePem(Path certificateFile, Path keyFile) throws IOException {
        Files.writeString(certificateFile, LabPki.pem(chain.toArray()));
        Files.writeString(keyFile, LabPki.pem(key));
    }
}
