package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An edge whose origin is a Telltale shield in front of an origin that refuses connections. */
class ShieldTierTest {
    private BrokenOrigin refusing;
    private GatewayFixture shield;
    private GatewayFixture edge;

    @BeforeEach
    void start() throws Exception {
        refusing = BrokenOrigin.start(OriginFault.REFUSED);
        shield = GatewayFixture.start(tier("shield", refusing.address().getPort(), "origin", "full"));
    }

    @AfterEach
    void stop() throws Exception {
        if (edge != null) {
            edge.close();
        }
        shield.close();
        refusing.close();
    }

    private static String tier(String via, int originPort, String originTier, String detail) {
        return """
                server: {bindAddress: 127.0.0.1, httpPort: 0, via: %s, drainTimeout: 1s}
                admin: {port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: %s
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        tier: %s
                        sni: viewer-host
                        connectTimeout: 2s
                        responseTimeout: 5s
                """.formatted(via, detail, originPort, originTier);
    }

    private RawHttp.Response get(String accept) throws IOException {
        try (RawHttp client = edge.client()) {
            return client.send("GET /page HTTP/1.1\r\nHost: www.test\r\nAccept: " + accept + "\r\n\r\n").read();
        }
    }

    @Test
    void relaysTheShieldsCodeBothProxyStatusMembersAndTheMarkedPath() throws Exception {
        edge = GatewayFixture.start(tier("edge", shield.port(), "trusted-shield", "full"));

        RawHttp.Response answer = get("application/problem+json");

        assertThat(answer.status()).isEqualTo(521);
        assertThat(answer.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionRefused");
        assertThat(answer.header("Proxy-Status"))
                .startsWith("shield; error=connection_refused; next-hop=\"127.0.0.1:" + refusing.address().getPort() + "\"")
                .endsWith(", edge; next-hop=\"127.0.0.1:" + shield.port() + "\"; received-status=521");
        assertThat(answer.header("X-Gateway-Path")).isEqualTo("You -> edge -> shield -x-> origin");
        assertThat(answer.bodyText()).contains("\"code\":\"OriginConnectionRefused\"")
                .contains("You -> edge -> shield -x-> origin").contains("shieldRequestId");
    }

    @Test
    void keepsAnUntrustedShieldsEvidenceBehind() throws Exception {
        edge = GatewayFixture.start(tier("edge", shield.port(), "shield", "full"));

        RawHttp.Response answer = get("application/problem+json");

        assertThat(answer.status()).isEqualTo(521);
        assertThat(answer.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionRefused");
        assertThat(answer.header("Proxy-Status")).isEqualTo("shield; error=connection_refused, edge;"
                + " next-hop=\"127.0.0.1:" + shield.port() + "\"; received-status=521");
        assertThat(answer.bodyText()).doesNotContain(":" + refusing.address().getPort()).doesNotContain("shieldRequestId");
    }

    @Test
    void aFailureBetweenEdgeAndShieldIsTheEdgesOwn() throws Exception {
        int shieldPort = shield.port();
        shield.close();
        edge = GatewayFixture.start(tier("edge", shieldPort, "trusted-shield", "public"));
        shield = GatewayFixture.start(tier("shield", refusing.address().getPort(), "origin", "full"));

        RawHttp.Response answer = get("*/*");

        assertThat(answer.status()).isEqualTo(521);
        assertThat(answer.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionRefused");
        assertThat(answer.header("Proxy-Status")).isEqualTo("edge; error=connection_refused");
        assertThat(answer.header("X-Gateway-Path")).isEqualTo("You -> edge -x-> shield -> origin");
    }
}
