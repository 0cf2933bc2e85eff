package io.telltale.core.config;

/**
 * A site's certificate for the HTTPS listener.
 *
 * @param certificate a PEM file holding the certificate chain, leaf first
 * @param key a PEM file holding the PKCS#8 private key
 */
public record SiteTlsConfig(String certificate, String key) {
}
