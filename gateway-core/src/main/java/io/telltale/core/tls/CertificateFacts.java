package io.telltale.core.tls;

import io.netty.util.NetUtil;
import io.telltale.core.http.HostNames;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What a report says about one certificate: names, issuer, validity dates, fingerprint and whether it
 * signed itself.
 *
 * @param subject the subject DN (RFC 2253)
 * @param issuer the issuer DN (RFC 2253)
 * @param commonName the subject's CN, or null
 * @param dnsNames the DNS subject alternative names
 * @param ipAddresses the IP subject alternative names
 * @param notBefore the start of validity
 * @param notAfter the end of validity
 * @param sha256 the SHA-256 fingerprint of the DER encoding, colon-separated upper-case hex
 * @param selfSigned whether the issuer is the subject and the certificate verifies with its own key
 * @param signatureAlgorithm the algorithm the issuer signed it with, e.g. {@code SHA256withECDSA}
 * @param keyAlgorithm the public key's algorithm, e.g. {@code RSA} or {@code EC}
 * @param keyBits the public key's size in bits (the modulus for RSA and DSA, the curve order for EC), 0 if unknown
 * @param serverAuth whether its extended key usage allows TLS server authentication (true when it has none)
 */
public record CertificateFacts(
        String subject,
        String issuer,
        String commonName,
        List<String> dnsNames,
        List<String> ipAddresses,
        Instant notBefore,
        Instant notAfter,
        String sha256,
        boolean selfSigned,
        String signatureAlgorithm,
        String keyAlgorithm,
        int keyBits,
        boolean serverAuth) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_PURPOSE = "2.5.29.37.0";

    public CertificateFacts {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /** Reads the facts of one certificate. */
    public static CertificateFacts of(X509Certificate c) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> san : alternativeNames(c)) {
            Object type = san.get(0);
            if (type instanceof Integer t && t == SAN_DNS) {
                dns.add(String.valueOf(san.get(1)));
            } else if (type instanceof Integer t && t == SAN_IP) {
                ips.add(String.valueOf(san.get(1)));
            }
        }
        return new CertificateFacts(
                c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253),
                commonName(c.getSubjectX500Principal()),
                dns, ips,
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                fingerprint(c),
                ChainInspector.signedBy(c, c),
                c.getSigAlgName(),
                c.getPublicKey().getAlgorithm(),
                keyBits(c.getPublicKey()),
                serverAuth(c));
    }

    /** Returns the name a person knows this certificate by: its CN, else its first SAN, else its subject. */
    public String displayName() {
        if (commonName != null) {
            return commonName;
        }
        List<String> names = names();
        return names.isEmpty() ? subject : names.get(0);
    }

    /** Returns the names a client may match: the DNS and IP SANs, or the CN when there is no SAN. */
    public List<String> names() {
        List<String> names = new ArrayList<>(dnsNames);
        names.addAll(ipAddresses);
        if (names.isEmpty() && commonName != null) {
            names.add(commonName);
        }
        return names;
    }

    /**
     * Returns whether the certificate covers the host: its IP SANs for an address, else its DNS SANs, else (no
     * DNS SAN at all) its CN, as the JDK's HTTPS check does; a wildcard host is covered only by the same wildcard.
     */
    public boolean covers(String host) {
        if (HostNames.isAddress(host)) {
            // Netty parses [::1] but not [127.0.0.1]: without brackets both forms compare.
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            byte[] wanted = NetUtil.createByteArrayFromIpAddressString(bare);
            return wanted != null && ipAddresses.stream()
                    .anyMatch(ip -> Arrays.equals(wanted, NetUtil.createByteArrayFromIpAddressString(ip)));
        }
        List<String> patterns = dnsNames.isEmpty() && commonName != null ? List.of(commonName) : dnsNames;
        String wanted = HostNames.normalize(host);
        return patterns.stream().anyMatch(p -> HostNames.matchesPattern(HostNames.normalize(p), wanted));
    }

    /** Returns these facts as an evidence value. */
    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", subject);
        m.put("issuer", issuer);
        m.put("subjectAltNames", names());
        m.put("notBefore", notBefore.toString());
        m.put("notAfter", notAfter.toString());
        m.put("sha256", sha256);
        m.put("selfSigned", selfSigned);
        m.put("signatureAlgorithm", signatureAlgorithm);
        m.put("key", keyAlgorithm + " " + keyBits + " bits");
        return m;
    }

    private static int keyBits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getOrder().bitLength();
        }
        if (key instanceof DSAPublicKey dsa && dsa.getParams() != null) {
            return dsa.getParams().getP().bitLength();
        }
        return 0;
    }

    private static boolean serverAuth(X509Certificate c) {
        try {
            List<String> usages = c.getExtendedKeyUsage();
            return usages == null || usages.contains(SERVER_AUTH) || usages.contains(ANY_PURPOSE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static Collection<List<?>> alternativeNames(X509Certificate c) {
        try {
            Collection<List<?>> names = c.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X500Principal principal) {
        try {
            for (Rdn rdn : new LdapName(principal.getName(X500Principal.RFC2253)).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static String fingerprint(X509Certificate c) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
