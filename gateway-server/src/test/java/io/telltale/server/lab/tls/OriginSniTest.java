package io.telltale.server.lab.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginSniTest {
    @TempDir
    static Path dir;

    private static LabPki pki;
    private static String caBundle;
    private static OriginTlsContexts tls;
    private static TlsTestClient client;

    @BeforeAll
    static void setUp() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        tls = new OriginTlsContexts(Clock.systemUTC());
        client = new TlsTestClient(tls);
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    @Test
    void sniIsSentForADotlessName() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "origin").start()) {
            TlsTestClient.Outcome outcome = client.exchange(TlsTestClient.origin("origin", caBundle), "origin", origin.port());

            assertThat(outcome.failure()).isNull();
            assertThat(origin.requestedServerNames()).containsExactly(List.of("origin"));
        }
    }

    @Test
    void noSniIsSentForAnIpLiteralWhichIsVerifiedAgainstTheIpSan() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "origin.test", "127.0.0.1").start()) {
            TlsTestClient.Outcome outcome = client.exchange(TlsTestClient.origin("127.0.0.1", caBundle), "127.0.0.1",
                    origin.port());

            assertThat(outcome.failure()).isNull();
            assertThat(origin.requestedServerNames()).containsExactly(List.of());
        }
    }

    @Test
    void ipLiteralNotInTheCertificateIsANameMismatch() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "origin.test").start()) {
            TlsTestClient.Outcome outcome = client.exchange(TlsTestClient.origin("127.0.0.1", caBundle), "127.0.0.1",
                    origin.port());

            assertThat(outcome.failure().code().code()).isEqualTo("OriginSslCertificateNameMismatch");
            assertThat(outcome.failure().evidence().get("sniSent")).isEqualTo("none (IP literal)");
            assertThat(outcome.failure().remediation().get(0)).contains("-verify_ip 127.0.0.1").doesNotContain("-servername");
        }
    }

    @Test
    void systemTrustAloneRejectsTheLabRoot() throws Exception {
        try (TlsOrigin origin = new TlsOrigin(pki, TlsFault.NONE, "origin.test").start()) {
            TlsTestClient.Outcome outcome = client.exchange(TlsTestClient.origin("origin.test", null), "origin.test",
                    origin.port());

            assertThat(outcome.failure().code().code()).isEqualTo("OriginSslIncompleteChain");
        }
    }

    @Test
    void badOriginTlsSettingsAreConfigErrorsNamingTheField() {
        var origin = TlsTestClient.origin("origin.test", dir.resolve("missing.pem").toString(), "TLSv1.1",
                List.of("TLS_AES_128_GCM_SHA256", "TLS_MADE_UP"), ChainOrderPolicy.STRICT, Duration.ofSeconds(1));

        assertThatThrownBy(() -> tls.context(origin))
                .isInstanceOfSatisfying(TlsConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "minTlsVersion: TLSv1.1 (expected: TLSv1.2 or TLSv1.3)",
                        "ciphers[1]: TLS_MADE_UP (expected: a cipher suite this JDK supports, "
                                + "e.g. TLS_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
                        "caBundle: " + dir.resolve("missing.pem") + " (expected: a readable PEM file of CA certificates; "
                                + "the file does not exist)"));
    }
}
