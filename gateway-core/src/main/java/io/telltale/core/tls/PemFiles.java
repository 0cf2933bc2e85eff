package io.telltale.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads PEM certificate chains and PKCS#8 keys, saying in words what is wrong with a bad file. */
final class PemFiles {
    private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /** A file that could not be used, with the reason in words. */
    static final class PemException extends Exception {
        PemException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads every certificate of a PEM file, in file order. */
    static List<X509Certificate> certificates(Path file) throws PemException {
        String text = read(file);
        if (!text.contains(BEGIN_CERTIFICATE)) {
            throw new PemException("the file holds no " + BEGIN_CERTIFICATE + " block");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new PemException("the certificate does not parse: " + e.getMessage());
        }
    }

    /** Reads an unencrypted PKCS#8 private key. */
    static PrivateKey privateKey(Path file) throws PemException {
        String text = read(file);
        int begin = text.indexOf(BEGIN_KEY);
        int end = text.indexOf(END_KEY);
        if (begin < 0 || end < begin) {
            String found = text.contains("-----BEGIN EC PRIVATE KEY-----") || text.contains("-----BEGIN RSA PRIVATE KEY-----")
                    ? "the file holds a traditional (SEC1/PKCS#1) key; convert it with "
                      + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem"
                    : text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                    ? "the key is encrypted; store it without a passphrase"
                    : "the file holds no " + BEGIN_KEY + " block";
            throw new PemException(found);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
        } catch (IllegalArgumentException e) {
            throw new PemException("the key is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm: PKCS#8 names it, but KeyFactory needs it up front
            }
        }
        throw new PemException("the key is not an EC, RSA or EdDSA PKCS#8 key");
    }

    private static String read(Path file) throws PemException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new PemException("the file does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new PemException("the file is not PEM text (binary DER?)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PemException("the file cannot be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
