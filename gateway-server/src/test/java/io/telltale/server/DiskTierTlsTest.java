package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.lab.tls.LabPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hit on the disk tier over the HTTPS listener: the file is sent in chunked reads through the TLS engine. */
class DiskTierTlsTest {
    private static final LabPki PKI = LabPki.create(Clock.systemUTC());
    private static final int LARGE = 200_000;

    @TempDir
    Path dir;

    @Test
    void aDiskHitIsSentWholeOverTls() throws Exception {
        Path cert = dir.resolve("www.crt");
        Path key = dir.resolve("www.key");
        PKI.leaf("www.disk.test").writePem(cert, key);
        String yaml = """
                server: {httpPort: 0, httpsPort: 0}
                admin: {port: 0}
                cache: {disk: {path: "%s", maxSize: 16MiB}}
                sites:
                  - name: www
                    hosts: [www.disk.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    cache: {defaultTtl: 1h}
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """;
        try (TestOrigin origin = new TestOrigin()) {
            String config = yaml.formatted(dir.resolve("cache"), cert, key, origin.port());
            try (GatewayFixture gateway = GatewayFixture.start(config)) {
                assertThat(get(gateway, "/length/" + LARGE)).contains("Miss from gateway");
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> Metrics.read(gateway, "telltale_cache_disk_objects") == 1);
            }
            try (GatewayFixture gateway = GatewayFixture.start(config)) {
                String hit = get(gateway, "/length/" + LARGE);
                String again = get(gateway, "/length/" + LARGE);

                assertThat(hit).contains("Hit from gateway").endsWith(expectedBody());
                assertThat(again).endsWith(expectedBody());
                assertThat(Metrics.read(gateway, "telltale_cache_disk_hits")).isPositive();
            }
            assertThat(origin.requests()).hasSize(1);
        }
    }

    private static String expectedBody() {
        StringBuilder body = new StringBuilder(LARGE);
        String block = new String(TestOrigin.pattern(65536), StandardCharsets.ISO_8859_1);
        while (body.length() < LARGE) {
            body.append(block, 0, Math.min(block.length(), LARGE - body.length()));
        }
        return body.toString();
    }

    /** Sends one request with Connection: close and returns the whole response as text. */
    private static String get(GatewayFixture gateway, String path) throws Exception {
        try (SSLSocket socket = LabTlsClient.connect(gateway.server().httpsPort(), "www.disk.test", PKI.root())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: www.disk.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
