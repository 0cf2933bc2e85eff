package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.tls.LabCertificate;
import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReloadTest {
    private static final LabPki PKI = LabPki.create(Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void reloadsCertificatesWithoutARestartAndKeepsTheOldOnesOnAProblem() throws Exception {
        Path cert = dir.resolve("www.crt");
        Path key = dir.resolve("www.key");
        PKI.leaf("www.reload.test").writePem(cert, key);
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0, httpsPort: 0}
                admin: {port: 0, token: s3cret}
                sites:
                  - name: www
                    hosts: [www.reload.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(cert, key, origin.port()))) {
            int https = gateway.server().httpsPort();
            BigInteger first = presented(https).getSerialNumber();

            LabCertificate renewed = PKI.leaf("www.reload.test");
            renewed.writePem(cert, key);
            assertThat(adminPost(gateway, "/tls/reload", "Bearer s3cret").status()).isEqualTo(200);
            BigInteger second = presented(https).getSerialNumber();
            assertThat(second).isNotEqualTo(first).isEqualTo(renewed.leaf().getSerialNumber());

            Files.writeString(cert, "not a certificate");
            RawHttp.Response refused = adminPost(gateway, "/tls/reload", "Bearer s3cret");
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.bodyText()).contains("sites[0].tls.certificate: " + cert);
            assertThat(presented(https).getSerialNumber()).isEqualTo(second);
            assertThat(adminPost(gateway, "/tls/reload", "Bearer wrong").status()).isEqualTo(401);
        }
    }

    private static RawHttp.Response adminPost(GatewayFixture gateway, String path, String authorization)
            throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("POST " + path + " HTTP/1.1\r\nHost: admin\r\nAuthorization: " + authorization
                    + "\r\nContent-Length: 0\r\n\r\n").read();
        }
    }

    private static X509Certificate presented(int port) throws Exception {
        try (SSLSocket socket = LabTlsClient.connect(port, "www.reload.test", PKI.root())) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
