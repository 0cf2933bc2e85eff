package io.telltale.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The gateway's certificate rules, on certificates made here with BouncyCastle. */
class CertificatePolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void acceptsAP256LeafSignedWithSha256ForServerAuth() throws Exception {
        KeyPair ca = ec();
        X509Certificate leaf = certificate(ec(), ca, "SHA256withECDSA", KeyPurposeId.id_kp_serverAuth);

        assertThat(CertificatePolicy.check(new X509Certificate[] {leaf})).isNull();
    }

    @Test
    void namesAClientAuthenticationLeafAsTheWrongPurpose() throws Exception {
        X509Certificate leaf = certificate(ec(), ec(), "SHA256withECDSA", KeyPurposeId.id_kp_clientAuth);

        CertificatePolicyException e = CertificatePolicy.check(new X509Certificate[] {leaf});

        assertThat(e.violation()).isEqualTo(CertificatePolicy.Violation.WRONG_PURPOSE);
        assertThat(e.index()).isZero();
    }

    @Test
    void namesAnMd5SignatureAsWeak() throws Exception {
        X509Certificate leaf = certificate(rsa(2048), rsa(2048), "MD5withRSA", KeyPurposeId.id_kp_serverAuth);

        CertificatePolicyException e = CertificatePolicy.check(new X509Certificate[] {leaf});

        assertThat(e.violation()).isEqualTo(CertificatePolicy.Violation.WEAK_SIGNATURE);
        assertThat(e.certificate().signatureAlgorithm()).isEqualTo("MD5withRSA");
    }

    @Test
    void namesA1024BitRsaIntermediateAtItsPosition() throws Exception {
        KeyPair weakCa = rsa(1024);
        X509Certificate leaf = certificate(ec(), weakCa, "SHA256withRSA", KeyPurposeId.id_kp_serverAuth);
        X509Certificate intermediate = certificate(weakCa, ec(), "SHA256withECDSA", KeyPurposeId.id_kp_serverAuth);

        CertificatePolicyException e = CertificatePolicy.check(new X509Certificate[] {leaf, intermediate});

        assertThat(e.violation()).isEqualTo(CertificatePolicy.Violation.WEAK_KEY);
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.certificate().keyBits()).isEqualTo(1024);
    }

    private static X509Certificate certificate(KeyPair subject, KeyPair issuer, String algorithm, KeyPurposeId purpose)
            throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=issuer.test"), BigInteger.TWO,
                Date.from(NOW.minus(Duration.ofDays(1))), Date.from(NOW.plus(Duration.ofDays(30))),
                new X500Name("CN=leaf.test"), subject.getPublic());
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuer.getPrivate())));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }
}
