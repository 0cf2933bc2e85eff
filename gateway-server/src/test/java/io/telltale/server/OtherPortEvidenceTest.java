package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class OtherPortEvidenceTest {
    /** A loopback address of its own, so that its ports 443 and 8443 are this test's alone. */
    private static final String ORIGIN_ADDRESS = "127.0.0.80";

    @Test
    void aRefusedConnectSaysWhichPortWasTriedAndWhetherTheOtherOneAnswers() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (TestOrigin origin = new TestOrigin();
                GatewayFixture gateway = GatewayFixture.start("""
                        server: {httpPort: 0}
                        admin: {enabled: false}
                        sites:
                          - name: www
                            hosts: [www.test]
                            detail: full
                            allowedOriginNetworks: [127.0.0.0/8]
                            origins: [{host: 127.0.0.1, httpPort: %d, httpsPort: %d}]
                        """.formatted(closed, origin.port()));
                RawHttp client = gateway.client()) {
            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: www.test\r\n"
                    + "Accept: application/problem+json\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(521);
            assertThat(response.bodyText())
                    .contains("\"tried\":\"http on port " + closed + "\"")
                    .contains("\"otherPort\":\"https on port " + origin.port() + " accepts connections\"");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static GatewayFixture httpsOn443() throws InterruptedException {
        return GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: secure
                    hosts: [secure.test]
                    detail: full
                    cache: {errorTtl: 0s}
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: %s, protocol: https-only, connectTimeout: 2s}]
                """.formatted(ORIGIN_ADDRESS));
    }

    @Test
    void aRefused443WhoseAlternate8443AnswersTlsSaysToSetThePort() throws Exception {
        InetSocketAddress alternate = new InetSocketAddress(
                InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(ORIGIN_ADDRESS)), 8443);
        LabPki pki = LabPki.create(Clock.systemUTC());
        try (TlsOrigin tls = new TlsOrigin(pki, TlsFault.NONE, ORIGIN_ADDRESS).start(alternate);
                GatewayFixture gateway = httpsOn443()) {
            // One handshake first, so that a loaded machine's first TLS set-up does not outlast the probe's second.
            handshake(alternate, pki);
            int before = tls.accepted();
            RawHttp.Response first = GatewayErrors.problemGet(gateway.port(), "secure.test", "/");
            assertGatewayError(first, 521, "OriginConnectionRefused");
            Map<String, Object> problem = problem(first);

            assertThat(problem.get("detail")).isEqualTo("Nothing listens on port 443 of 127.0.0.80, but port 8443 answers "
                    + "TLS: set httpsPort: 8443 for this origin.");
            assertThat(evidence(problem)).containsEntry("tried", "https on port 443")
                    .containsEntry("alternatePort", "port 8443 answers TLS")
                    .containsEntry("otherPort", "http on port 80 does not accept connections either");
            assertThat(problem.get("remediation")).asInstanceOf(InstanceOfAssertFactories.LIST).first().asString()
                    .startsWith("Nothing listens on port 443, but port 8443 answers TLS: set `httpsPort: 8443` on this origin");
            assertThat(tls.accepted()).isEqualTo(before + 1);

            RawHttp.Response again = GatewayErrors.problemGet(gateway.port(), "secure.test", "/");
            assertThat(evidence(problem(again))).containsEntry("alternatePort", "port 8443 answers TLS");
            assertThat(tls.accepted()).as("one probe per refused address and port per interval").isEqualTo(before + 1);
        }
    }

    private static void handshake(InetSocketAddress at, LabPki pki) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("lab-root", pki.root());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(at.getAddress(), at.getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
        }
    }

    @Test
    void aRefused443WithNothingOn8443SaysSoAndKeepsTheRefusal() throws Exception {
        try (GatewayFixture gateway = httpsOn443()) {
            RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "secure.test", "/");
            assertGatewayError(response, 521, "OriginConnectionRefused");
            Map<String, Object> problem = problem(response);

            assertThat(evidence(problem)).containsEntry("alternatePort", "port 8443 does not accept connections");
            assertThat(problem.get("detail")).asString().doesNotContain("8443");
        }
    }
}
