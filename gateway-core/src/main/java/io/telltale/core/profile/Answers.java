package io.telltale.core.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a profile's answer table, one catalogue code (or several sharing an answer) at a time. */
final class Answers {
    /** The catalogue codes of every certificate the origin's TLS verification rejects. */
    static final List<String> CERTIFICATE_CODES = List.of("OriginSslCertificateNameMismatch",
            "OriginSslCertificateExpired", "OriginSslCertificateNotYetValid", "OriginSslSelfSignedCertificate",
            "OriginSslUntrustedRoot", "OriginSslIncompleteChain", "OriginSslChainOutOfOrder",
            "OriginSslCertificateWrongPurpose", "OriginSslWeakKey", "OriginSslWeakSignature");

    private final Map<String, VendorAnswer> answers = new LinkedHashMap<>();

    /** Adds the answer to one catalogue code. */
    Answers add(String code, int status, String vendorCode, String source) {
        answers.put(code, new VendorAnswer(status, vendorCode, source));
        return this;
    }

    /** Adds the same answer to several catalogue codes. */
    Answers addAll(List<String> codes, int status, String vendorCode, String source) {
        codes.forEach(c -> add(c, status, vendorCode, source));
        return this;
    }

    /** Returns the table, unmodifiable and in the order added. */
    Map<String, VendorAnswer> build() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }
}
