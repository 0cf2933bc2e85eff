package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class OtherPortEvidenceTest {
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
}
