package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An origin port that does not speak HTTP/1.x, reached over plain HTTP: the explanation names what the bytes
 * say the port speaks, and the fix is the protocol or the port, never a crash or keep-alive.
 */
class PortLanguageTest {
    private TestOrigin origin;
    private TlsOrigin tlsOrigin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        tlsOrigin = new TlsOrigin(LabPki.create(Clock.systemUTC()), TlsFault.NONE, "tls.test").start();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                sites:
                  - name: raw
                    hosts: [raw.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 5s
                  - name: tls
                    hosts: [tls.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 5s
                """.formatted(origin.port(), tlsOrigin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
        tlsOrigin.close();
    }

    private Map<String, Object> failed(String host, String code) throws IOException {
        RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), host, "/raw");
        assertGatewayError(response, 502, code);
        Map<String, Object> problem = problem(response);
        assertThat((List<?>) problem.get("remediation")).as("the bytes say what is wrong: no crash, no keep-alive")
                .noneSatisfy(r -> assertThat(r).asString().containsAnyOf("crash", "keep-alive"));
        return problem;
    }

    private static String bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void saysThePortSpeaksTlsWhenItAnswersWithATlsAlert() throws IOException {
        origin.respondRaw(bytes(0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46));

        Map<String, Object> problem = failed("raw.test", "OriginInvalidResponse");

        assertThat(problem.get("detail")).isEqualTo("Port " + origin.port() + " speaks TLS, not plain HTTP: it answered "
                + "the gateway's HTTP request with a TLS alert (15 03 01 00 02 02 46).");
        assertThat(evidence(problem)).containsEntry("portSpeaks", "TLS");
        assertThat((List<?>) problem.get("remediation")).first().asString()
                .isEqualTo("This port speaks TLS: set this origin's protocol to https-only with httpsPort: " + origin.port() + ".");
    }

    @Test
    void saysThePortSpeaksHttp2OnlyWhenItAnswersWithSettingsAndGoaway() throws IOException {
        // An h2c-only server's answer to an HTTP/1.1 request: its SETTINGS frame, then GOAWAY(PROTOCOL_ERROR).
        origin.respondRaw(bytes(0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100)
                + bytes(0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));

        Map<String, Object> problem = failed("raw.test", "OriginInvalidResponse");

        assertThat(problem.get("detail")).asString().startsWith("Port " + origin.port() + " speaks HTTP/2 only: it answered "
                + "the gateway's HTTP/1.1 request with an HTTP/2 frame (00 00 06 04");
        assertThat((List<?>) problem.get("remediation")).first().asString().startsWith("This port speaks HTTP/2 only");
    }

    @Test
    void namesAnSshBanner() throws IOException {
        origin.respondRaw("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");

        Map<String, Object> problem = failed("raw.test", "OriginInvalidResponse");

        assertThat(problem.get("detail")).isEqualTo("Port " + origin.port() + " runs SSH, not HTTP: it greeted the gateway "
                + "with \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\".");
    }

    @Test
    void saysANewConnectionClosedWithoutAByteAndOffersTlsAsAReasonForAPlainRequestToATlsPort() throws IOException {
        Map<String, Object> problem = failed("tls.test", "OriginConnectionClosed");

        assertThat(problem.get("detail")).isEqualTo("The origin accepted a new connection on port " + tlsOrigin.port()
                + " and closed it without sending a single byte of response.");
        assertThat(evidence(problem)).containsEntry("bytesReceived", 0);
        assertThat((List<?>) problem.get("remediation")).anySatisfy(r -> assertThat(r).asString()
                .contains("set this origin's protocol to https-only with httpsPort: " + tlsOrigin.port()));
    }
}
