package io.telltale.server;

import static io.telltale.server.GatewayErrors.get;
import static io.telltale.server.GatewayErrors.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.tls.LabCertificate;
import io.telltale.server.lab.tls.LabPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An origin that redirects to the very URL asked for: relayed as sent, with a warning that names the likely
 * cause (the origin reached over http redirecting an https visitor to https, forever).
 */
class RedirectToItselfTest {
    private static final String LOOP = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://loop.edge.test/raw\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n";

    @TempDir
    static Path dir;

    private static LabPki pki;
    private static TestOrigin origin;
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        pki = LabPki.create(Clock.systemUTC());
        LabCertificate certificate = pki.leaf("loop.edge.test", "public.edge.test");
        Path cert = dir.resolve("edge.crt");
        Path key = dir.resolve("edge.key");
        certificate.writePem(cert, key);
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  httpsPort: 0
                  drainTimeout: 2s
                admin:
                  port: 0
                sites:
                  - name: loop
                    hosts: [loop.edge.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                  - name: public
                    hosts: [public.edge.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    tls: {certificate: %s, key: %s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                """.formatted(cert, key, origin.port(), cert, key, origin.port()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static RawHttp.Response overHttps(String host, String path) throws Exception {
        SSLSocket socket = LabTlsClient.connect(gateway.server().httpsPort(), host, pki.root());
        try (RawHttp client = new RawHttp(socket)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
        }
    }

    @Test
    void relaysTheRedirectAndWarnsThatTheOriginSeesHttp() throws Exception {
        origin.respondRaw(LOOP);

        RawHttp.Response response = overHttps("loop.edge.test", "/raw");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("https://loop.edge.test/raw");
        assertThat(response.header("X-Gateway-Error-Code")).isNull();
        String warning = response.header("X-Gateway-Warning");
        assertThat(warning).startsWith("redirect-to-itself; detail=\"The origin answered 301 with Location "
                + "https://loop.edge.test/raw, the URL this request asked for")
                .contains("the gateway reaches the origin over http, so the origin sees http")
                .contains("use https toward the origin").contains("X-Forwarded-Proto");

        Map<String, Object> entry = json(get(gateway.adminPort(), "127.0.0.1",
                "/failures/" + response.header("X-Request-Id"), "").bodyText());
        assertThat(entry).containsEntry("site", "loop").doesNotContainKey("failure");
        assertThat(entry.get("warning")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("warning", "redirect-to-itself").containsEntry("status", 301)
                .hasEntrySatisfying("detail", d -> assertThat(d).asString().contains("X-Forwarded-Proto"));
    }

    @Test
    void showsOnlyTheTokenToAPublicClient() throws Exception {
        origin.respondRaw(LOOP.replace("loop.edge.test", "public.edge.test"));

        RawHttp.Response response = overHttps("public.edge.test", "/raw");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("X-Gateway-Warning")).isEqualTo("redirect-to-itself");
    }

    @Test
    void namesTheOriginsRuleWhenThePlainHttpVisitorIsSentToTheSameHttpUrl() throws IOException {
        origin.respondRaw("HTTP/1.1 302 Found\r\nLocation: /raw\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        RawHttp.Response response = get(gateway.port(), "loop.edge.test", "/raw", "");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("X-Gateway-Warning")).startsWith("redirect-to-itself; detail=\"The origin answered 302")
                .contains("compare its rule with the Host, X-Forwarded-Host and X-Forwarded-Proto");
    }

    @Test
    void saysNothingAboutAnUpgradeFromHttpToHttps() throws IOException {
        origin.respondRaw(LOOP);

        RawHttp.Response response = get(gateway.port(), "loop.edge.test", "/raw", "");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("X-Gateway-Warning")).isNull();
    }
}
