package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /__telltale/trace}: what the gateway sees of a request, as Cloudflare's {@code /cdn-cgi/trace} shows it. */
class EdgeTraceTest {
    @TempDir
    Path dir;

    @Test
    void tracesAPlainRequestWithoutAskingTheOrigin() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = GatewayFixture.forOrigin(origin.port(), "");
                RawHttp client = gateway.client()) {
            RawHttp.Response trace = client.send("GET /__telltale/trace HTTP/1.1\r\nHost: www.test\r\n"
                    + "User-Agent: curl/8.5.0\r\n\r\n").read();

            assertThat(trace.status()).isEqualTo(200);
            assertThat(trace.bodyText().split("\n")).startsWith("fl=telltale", "h=www.test", "ip=127.0.0.1")
                    .contains("visit_scheme=http", "uag=curl/8.5.0", "http=http/1.1", "tls=off", "sni=off", "site=www",
                            "request_id=" + trace.header("X-Request-Id"));
            assertThat(trace.bodyText()).containsPattern("(?m)^ts=\\d+\\.\\d{3}$");
            assertThat(origin.connections()).isZero();
        }
    }

    @Test
    void tracesTheTlsVersionAndTheSniNameOverHttps() throws Exception {
        LabPki pki = LabPki.create(Clock.systemUTC());
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        pki.leaf("www.trace.test").writePem(cert, key);
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0, httpsPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.trace.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(cert, key, origin.port()));
                SSLSocket socket = LabTlsClient.connect(gateway.server().httpsPort(), "www.trace.test", pki.root())) {
            socket.getOutputStream().write(("GET /__telltale/trace HTTP/1.1\r\nHost: www.trace.test\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200")
                    .contains("\nvisit_scheme=https\n", "\ntls=TLSv1.3\n", "\nsni=www.trace.test\n", "\nsite=www\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
