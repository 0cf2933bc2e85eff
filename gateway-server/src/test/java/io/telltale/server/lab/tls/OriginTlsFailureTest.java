package io.telltale.server.lab.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.tls.CertificateFacts;
import io.telltale.core.tls.OriginTlsContexts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginTlsFailureTest {
    private static final String NAME = "origin.test";
    private static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static LabPki pki;
    private static String caBundle;
    private static OriginTlsContexts tls;
    private static TlsTestClient client;

    @BeforeAll
    static void setUp() throws Exception {
        pki = LabPki.create(CLOCK);
        caBundle = pki.writeRootPem(dir.resolve("lab-root.pem")).toString();
        tls = new OriginTlsContexts(CLOCK);
        client = new TlsTestClient(tls);
    }

    @AfterAll
    static void tearDown() {
        client.close();
    }

    private static TlsTestClient.Outcome run(TlsFault fault, OriginConfig origin) throws Exception {
        try (TlsOrigin server = new TlsOrigin(pki, fault, NAME, "127.0.0.1").start()) {
            return client.exchange(origin, NAME, server.port());
        }
    }

    private static Failure fail(TlsFault fault) throws Exception {
        return fail(fault, TlsTestClient.origin(NAME, caBundle));
    }

    private static Failure fail(TlsFault fault, OriginConfig origin) throws Exception {
        TlsTestClient.Outcome outcome = run(fault, origin);
        assertThat(outcome.failure()).as("failure for %s (raw %s)", fault, outcome.raw()).isNotNull();
        return outcome.failure();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(Failure f) {
        return (List<Map<String, Object>>) f.evidence().get("chain");
    }

    @Test
    void healthyOriginAnswersWithChainRecorded() throws Exception {
        TlsTestClient.Outcome outcome = run(TlsFault.NONE, TlsTestClient.origin(NAME, caBundle));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.body()).startsWith("ok from lab TLS origin");
        assertThat(outcome.chain()).hasSize(2);
        assertThat(outcome.chain().get(1)).isEqualTo(pki.intermediate());
    }

    @Test
    void expiredLeafIsNamedWithItsNotAfter() throws Exception {
        Failure f = fail(TlsFault.EXPIRED);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED);
        assertThat(f.proxyStatusError()).isEqualTo("tls_certificate_error");
        assertThat(f.evidence().get("certificateIndex")).isEqualTo(0);
        assertThat(f.evidence().get("certificate")).asString().contains("CN=" + NAME);
        assertThat(f.evidence().get("notAfter")).isEqualTo(chain(f).get(0).get("notAfter"));
        assertThat(Instant.parse((String) f.evidence().get("notAfter"))).isBefore(CLOCK.instant());
        assertThat((String) f.proxyStatusParams().get("details")).contains("expired at");
    }

    @Test
    void notYetValidLeafIsNamedWithItsNotBefore() throws Exception {
        Failure f = fail(TlsFault.NOT_YET_VALID);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_NOT_YET_VALID);
        assertThat(Instant.parse((String) f.evidence().get("notBefore"))).isAfter(CLOCK.instant());
    }

    @Test
    void wrongHostNamesExpectedNameAndCertificateNames() throws Exception {
        Failure f = fail(TlsFault.WRONG_HOST);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_CERTIFICATE_NAME_MISMATCH);
        assertThat(f.evidence().get("expectedName")).isEqualTo(NAME);
        assertThat(f.evidence().get("certificateCommonName")).isEqualTo("not-" + NAME);
        assertThat(f.evidence().get("certificateNames")).isEqualTo(List.of("not-" + NAME));
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains("subjectAltName covering " + NAME));
    }

    @Test
    void selfSignedCertificateIsNamed() throws Exception {
        Failure f = fail(TlsFault.SELF_SIGNED);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_SELF_SIGNED_CERTIFICATE);
        assertThat(chain(f)).singleElement().satisfies(c -> assertThat(c.get("selfSigned")).isEqualTo(true));
    }

    @Test
    void untrustedRootIsNamedBySubject() throws Exception {
        Failure f = fail(TlsFault.UNTRUSTED_ROOT);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_UNTRUSTED_ROOT);
        assertThat(f.evidence().get("untrustedRoot")).asString().contains("CN=Untrusted Lab Root CA");
        assertThat(chain(f)).hasSize(3);
    }

    @Test
    void incompleteChainNamesTheMissingIntermediate() throws Exception {
        Failure f = fail(TlsFault.INCOMPLETE_CHAIN);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_INCOMPLETE_CHAIN);
        assertThat(f.evidence().get("missingIssuer"))
                .isEqualTo(CertificateFacts.of(pki.intermediate()).subject());
        assertThat((String) f.proxyStatusParams().get("details")).contains("no AIA fetching");
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains("CloudFront").contains("browsers may"));
    }

    @Test
    void aLeafWhoseSignatureDoesNotVerifyFailsValidation() throws Exception {
        Failure f = fail(TlsFault.BAD_SIGNATURE);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED);
        assertThat(f.proxyStatusError()).isEqualTo("tls_certificate_error");
        assertThat((String) f.proxyStatusParams().get("details"))
                .isEqualTo("certificate path validation failed: INVALID_SIGNATURE (signature check failed)");
        assertThat(chain(f)).hasSize(2);
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).startsWith("openssl s_client -connect"));
    }

    @Test
    void outOfOrderChainFailsWhenStrict() throws Exception {
        Failure f = fail(TlsFault.OUT_OF_ORDER);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_CHAIN_OUT_OF_ORDER);
        assertThat(f.evidence().get("orderExpected")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(3);
        assertThat(f.evidence().get("orderSent")).asInstanceOf(InstanceOfAssertFactories.LIST).element(1).asString().contains("Root CA");
    }

    @Test
    void outOfOrderChainIsAcceptedWhenLenient() throws Exception {
        OriginConfig lenient = TlsTestClient.origin(NAME, caBundle, "TLSv1.2", List.of(), ChainOrderPolicy.LENIENT,
                Duration.ofSeconds(5));

        TlsTestClient.Outcome outcome = run(TlsFault.OUT_OF_ORDER, lenient);

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.body()).contains("OUT_OF_ORDER");
    }

    @Test
    void tls12OnlyOriginRefusesTls13OnlyGateway() throws Exception {
        OriginConfig tls13 = TlsTestClient.origin(NAME, caBundle, "TLSv1.3", List.of(), ChainOrderPolicy.STRICT,
                Duration.ofSeconds(5));

        Failure f = fail(TlsFault.TLS12_ONLY, tls13);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED);
        assertThat(f.proxyStatusError()).isEqualTo("tls_alert_received");
        assertThat(f.proxyStatusParams()).containsEntry("alert-id", 70).containsEntry("alert-message", "protocol_version");
        assertThat(f.evidence().get("offeredProtocols")).isEqualTo(List.of("TLSv1.3"));
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains("minTlsVersion: TLSv1.2"));
    }

    @Test
    void noSharedCipherIsNamed() throws Exception {
        OriginConfig aead = TlsTestClient.origin(NAME, caBundle, "TLSv1.2",
                List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), ChainOrderPolicy.STRICT,
                Duration.ofSeconds(5));

        Failure f = fail(TlsFault.NO_SHARED_CIPHER, aead);

        assertThat(f.proxyStatusParams()).containsEntry("alert-id", 40).containsEntry("alert-message", "handshake_failure");
        assertThat(f.detail()).contains("no cipher suite");
        assertThat(f.evidence().get("offeredCiphers")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void clientCertificateRequiredUnderTls12FailsTheHandshake() throws Exception {
        Failure f = fail(TlsFault.CLIENT_CERT_TLS12);

        assertThat(f.proxyStatusError()).isEqualTo("tls_alert_received");
        assertThat(f.proxyStatusParams()).containsEntry("alert-id", 42).containsEntry("alert-message", "bad_certificate");
        assertThat(f.evidence().get("stage")).isEqualTo("handshake");
        assertThat(f.detail()).contains("client certificate");
    }

    @Test
    void clientCertificateRequiredUnderTls13FailsTheFirstRead() throws Exception {
        Failure f = fail(TlsFault.CLIENT_CERT_TLS13);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED);
        assertThat(f.evidence().get("stage")).isEqualTo("first read after handshake");
        assertThat(f.evidence().get("protocol")).isEqualTo("TLSv1.3");
        assertThat(f.proxyStatusParams().get("alert-message")).isIn("bad_certificate", "certificate_required");
        assertThat(f.detail()).contains("client certificate");
    }

    @Test
    void plainHttpOnTheTlsPortShowsTheBytes() throws Exception {
        Failure f = fail(TlsFault.PLAIN_HTTP);

        assertThat(f.proxyStatusError()).isEqualTo("tls_protocol_error");
        assertThat(f.evidence().get("firstBytes")).asString().startsWith("HTTP/1.1 400 Bad Request\\r\\n");
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains("http-only"));
    }

    @Test
    void silentOriginTimesOutTheHandshake() throws Exception {
        OriginConfig quick = TlsTestClient.origin(NAME, caBundle, "TLSv1.2", List.of(), ChainOrderPolicy.STRICT,
                Duration.ofMillis(300));

        Failure f = fail(TlsFault.SILENT, quick);

        assertThat(f.code()).isEqualTo(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED);
        assertThat((String) f.proxyStatusParams().get("details")).contains("within 300 ms");
    }

    @Test
    void closeOnAcceptIsAClosedHandshake() throws Exception {
        Failure f = fail(TlsFault.CLOSE_ON_ACCEPT);

        assertThat(f.proxyStatusError()).isEqualTo("tls_protocol_error");
        assertThat((String) f.proxyStatusParams().get("details")).contains("closed by the origin");
    }

    @Test
    void remediationStartsWithTheFilledOpensslLine() throws Exception {
        Failure f = fail(TlsFault.EXPIRED);

        assertThat(f.remediation().get(0)).isEqualTo("openssl s_client -connect " + NAME + ":" + f.evidence().get("port")
                + " -servername " + NAME + " -verify_hostname " + NAME + " -CAfile " + caBundle + " -showcerts </dev/null");
    }
}
