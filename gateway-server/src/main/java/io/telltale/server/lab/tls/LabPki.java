package io.telltale.server.lab.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import io.netty.util.NetUtil;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority made in memory at start-up (EC P-256): a trusted root and
 * intermediate, a second "untrusted" hierarchy, and leaves for given names in every broken variant the
 * lab shows. Only the root's certificate is meant to leave the process (as the lab's CA file).
 */
public final class LabPki {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final Clock clock;
    private final AtomicLong serial = new AtomicLong(System.nanoTime() & 0xffffffffL);
    private final Authority root;
    private final Authority intermediate;
    private final Authority untrustedRoot;
    private final Authority untrustedIntermediate;
    private final Authority expiredIntermediate;

    private LabPki(Clock clock) {
        this.clock = clock;
        this.root = selfSignedCa("CN=Telltale Lab Root CA,O=Telltale Lab");
        this.intermediate = ca("CN=Telltale Lab Intermediate CA,O=Telltale Lab", root);
        this.untrustedRoot = selfSignedCa("CN=Untrusted Lab Root CA,O=Somebody Else");
        this.untrustedIntermediate = ca("CN=Untrusted Lab Intermediate CA,O=Somebody Else", untrustedRoot);
        this.expiredIntermediate = ca("CN=Telltale Lab Old Intermediate CA,O=Telltale Lab", root,
                now().minus(LIFETIME.multipliedBy(12)), now().minus(DAY.multipliedBy(3)));
    }

    /** Makes a new PKI whose certificates are valid around the clock's now. */
    public static LabPki create(Clock clock) {
        return new LabPki(clock);
    }

    /** Returns the trusted root certificate (what clients must trust). */
    public X509Certificate root() {
        return root.certificate;
    }

    /** Returns the intermediate that issues every trusted leaf. */
    public X509Certificate intermediate() {
        return intermediate.certificate;
    }

    /** Returns a valid leaf for these DNS names and IP literals, sent with its intermediate. */
    public LabCertificate leaf(String... names) {
        return issue(intermediate, now().minus(DAY), now().plus(LIFETIME), names);
    }

    /** Returns a leaf whose notAfter passed a day ago. */
    public LabCertificate expiredLeaf(String... names) {
        return issue(intermediate, now().minus(LIFETIME), now().minus(DAY), names);
    }

    /** Returns a valid leaf whose notAfter is three days ahead: the origin doctor's warning, not yet a failure. */
    public LabCertificate expiringLeaf(String... names) {
        return issue(intermediate, now().minus(LIFETIME), now().plus(DAY.multipliedBy(3)), names);
    }

    /** Returns a leaf whose notBefore is two days ahead. */
    public LabCertificate notYetValidLeaf(String... names) {
        return issue(intermediate, now().plus(DAY.multipliedBy(2)), now().plus(LIFETIME), names);
    }

    /** Returns a valid leaf sent with the intermediate that issued it, which expired three days ago. */
    public LabCertificate expiredIntermediateLeaf(String... names) {
        return issue(expiredIntermediate, now().minus(DAY), now().plus(LIFETIME), names);
    }

    /** Returns a valid leaf whose extended key usage is TLS client authentication only. */
    public LabCertificate clientAuthOnlyLeaf(String... names) {
        return issue(intermediate, newKeyPair(), KeyPurposeId.id_kp_clientAuth, "SHA256withECDSA", names);
    }

    /** Returns a valid leaf with a 1024-bit RSA key. */
    public LabCertificate weakKeyLeaf(String... names) {
        return issue(intermediate, rsaKeyPair(1024), KeyPurposeId.id_kp_serverAuth, "SHA256withECDSA", names);
    }

    /** Returns a valid leaf the intermediate signed with SHA-1. */
    public LabCertificate sha1Leaf(String... names) {
        return issue(intermediate, newKeyPair(), KeyPurposeId.id_kp_serverAuth, "SHA1withECDSA", names);
    }

    /** Returns a single certificate for these names that signed itself. */
    public LabCertificate selfSigned(String... names) {
        KeyPair kp = newKeyPair();
        X500Name subject = name("CN=" + names[0] + ",O=Self Signed");
        return new LabCertificate(kp.getPrivate(), List.of(
                sign(leafBuilder(subject, kp.getPublic(), now().minus(DAY), now().plus(LIFETIME), names, null, subject),
                        kp.getPrivate())));
    }

    /** Returns a leaf from the second hierarchy, sent with its intermediate and its (untrusted) root. */
    public LabCertificate untrustedLeaf(String... names) {
        LabCertificate leaf = issue(untrustedIntermediate, now().minus(DAY), now().plus(LIFETIME), names);
        return new LabCertificate(leaf.key(), List.of(leaf.leaf(), untrustedIntermediate.certificate, untrustedRoot.certificate));
    }

    /** Returns a valid leaf sent as leaf, root, intermediate: a path exists only after reordering. */
    public LabCertificate outOfOrderLeaf(String... names) {
        LabCertificate leaf = leaf(names);
        return new LabCertificate(leaf.key(), List.of(leaf.leaf(), root.certificate, intermediate.certificate));
    }

    /** Returns a leaf that names the intermediate as issuer but is signed by an unrelated key, sent with the chain. */
    public LabCertificate badSignatureLeaf(String... names) {
        KeyPair kp = newKeyPair();
        X509v3CertificateBuilder b = leafBuilder(X500Name.getInstance(intermediate.certificate.getSubjectX500Principal()
                .getEncoded()), kp.getPublic(), now().minus(DAY), now().plus(LIFETIME), names, intermediate.certificate,
                name("CN=" + names[0] + ",O=Telltale Lab"));
        return new LabCertificate(kp.getPrivate(), List.of(sign(b, newKeyPair().getPrivate()), intermediate.certificate));
    }

    /** Returns the trusted root as PEM text. */
    public String rootPem() {
        return pem(root.certificate);
    }

    /** Writes the trusted root as a PEM file (the lab's CA file, for curl --cacert or an origin's caBundle). */
    public Path writeRootPem(Path file) throws IOException {
        return Files.writeString(file, rootPem());
    }

    /** Encodes certificates and keys as PEM (keys as PKCS#8). */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private LabCertificate issue(Authority issuer, Instant notBefore, Instant notAfter, String... names) {
        KeyPair kp = newKeyPair();
        X500Name subject = name("CN=" + names[0] + ",O=Telltale Lab");
        X509v3CertificateBuilder b = leafBuilder(X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded()),
                kp.getPublic(), notBefore, notAfter, names, issuer.certificate, subject);
        return new LabCertificate(kp.getPrivate(), List.of(sign(b, issuer.key), issuer.certificate));
    }

    private LabCertificate issue(Authority issuer, KeyPair kp, KeyPurposeId purpose, String signatureAlgorithm, String... names) {
        X500Name subject = name("CN=" + names[0] + ",O=Telltale Lab");
        X509v3CertificateBuilder b = leafBuilder(X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded()),
                kp.getPublic(), now().minus(DAY), now().plus(LIFETIME), names, issuer.certificate, subject, purpose);
        return new LabCertificate(kp.getPrivate(), List.of(sign(b, issuer.key, signatureAlgorithm), issuer.certificate));
    }

    private X509v3CertificateBuilder leafBuilder(X500Name issuer, PublicKey key, Instant notBefore, Instant notAfter,
                                                 String[] names, X509Certificate issuerCertificate, X500Name subject) {
        return leafBuilder(issuer, key, notBefore, notAfter, names, issuerCertificate, subject, KeyPurposeId.id_kp_serverAuth);
    }

    private X509v3CertificateBuilder leafBuilder(X500Name issuer, PublicKey key, Instant notBefore, Instant notAfter,
                                                 String[] names, X509Certificate issuerCertificate, X500Name subject,
                                                 KeyPurposeId purpose) {
        try {
            GeneralName[] sans = new GeneralName[names.length];
            for (int i = 0; i < names.length; i++) {
                sans[i] = NetUtil.isValidIpV4Address(names[i]) || NetUtil.isValidIpV6Address(names[i])
                        ? new GeneralName(GeneralName.iPAddress, names[i])
                        : new GeneralName(GeneralName.dNSName, names[i]);
            }
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, nextSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            if (issuerCertificate != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            return b;
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a lab certificate for " + List.of(names), e);
        }
    }

    private Authority selfSignedCa(String dn) {
        KeyPair kp = newKeyPair();
        return new Authority(sign(caBuilder(name(dn), name(dn), kp.getPublic(), null), kp.getPrivate()),
                kp.getPrivate());
    }

    private Authority ca(String dn, Authority issuer) {
        return ca(dn, issuer, now().minus(DAY), now().plus(LIFETIME.multipliedBy(12)));
    }

    private Authority ca(String dn, Authority issuer, Instant notBefore, Instant notAfter) {
        KeyPair kp = newKeyPair();
        X500Name issuerName = X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded());
        return new Authority(sign(caBuilder(issuerName, name(dn), kp.getPublic(), issuer.certificate, notBefore, notAfter),
                issuer.key), kp.getPrivate());
    }

    private X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey key, X509Certificate issuerCertificate) {
        return caBuilder(issuer, subject, key, issuerCertificate, now().minus(DAY), now().plus(LIFETIME.multipliedBy(12)));
    }

    private X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey key, X509Certificate issuerCertificate,
                                               Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, nextSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            if (issuerCertificate != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCertificate));
            }
            return b;
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the lab CA " + subject, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        return sign(builder, issuerKey, "SHA256withECDSA");
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, String algorithm) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a lab certificate", e);
        }
    }

    /** Encodes an RFC 2253 name as the JDK does, so that it prints back the same (CN first). */
    private static X500Name name(String rfc2253) {
        return X500Name.getInstance(new X500Principal(rfc2253).getEncoded());
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make EC P-256 keys", e);
        }
    }

    private static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make RSA keys", e);
        }
    }

    private BigInteger nextSerial() {
        return BigInteger.valueOf(serial.incrementAndGet());
    }

    private Instant now() {
        return clock.instant();
    }

    private record Authority(X509Certificate certificate, PrivateKey key) {
    }
}
