package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each origin fault of the lab, made real on loopback, answered through the real gateway. */
class OriginFailureTest {

    private static GatewayFixture gatewayFor(BrokenOrigin origin) throws InterruptedException {
        // Only the faults that are timeouts meet a short deadline: under a loaded machine the others must not.
        String connectTimeout = origin.fault() == OriginFault.BLACKHOLE ? "400ms" : "10s";
        String responseTimeout = origin.fault() == OriginFault.SILENT ? "400ms" : "10s";
        return GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0}
                limits: {maxResponseHeaderSize: 16KiB}
                sites:
                  - name: broken
                    hosts: [broken.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {errorTtl: 0s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: %s
                        responseTimeout: %s
                """.formatted(origin.port(), connectTimeout, responseTimeout));
    }

    @ParameterizedTest
    @EnumSource(value = OriginFault.class, names = {"REFUSED", "BLACKHOLE", "SILENT", "CLOSE_BEFORE_RESPONSE",
        "CLOSE_MID_HEADERS", "GARBAGE_STATUS", "BROKEN_CHUNKING", "HUGE_HEADERS"})
    void answersTheFaultWithItsCatalogueEntry(OriginFault fault) throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(fault); GatewayFixture gateway = gatewayFor(origin)) {
            RawHttp.Response response = GatewayErrors.problemGet(gateway.port(), "broken.test", "/");

            List<GatewayErrors.Param> proxyStatus = GatewayErrors.assertGatewayError(response,
                    fault.expected().status(), fault.expected().code());
            assertThat(GatewayErrors.param(proxyStatus, "error")).isEqualTo(fault.expected().proxyStatusError());
            assertThat(GatewayErrors.param(proxyStatus, "next-hop")).isEqualTo("127.0.0.1:" + origin.port());
            Map<String, Object> evidence = GatewayErrors.evidence(GatewayErrors.problem(response));
            assertThat(evidence).containsEntry("origin.port", origin.port());
            String journal = adminGet(gateway, "/failures/" + response.header("X-Request-Id"));
            assertThat(journal).contains(fault.expected().code());
        }
    }

    @Test
    void answersTheCatalogueStatusesThePhasesDecided() throws Exception {
        assertThat(List.of(OriginFault.REFUSED.expected().status(), OriginFault.BLACKHOLE.expected().status(),
                OriginFault.SILENT.expected().status(), OriginFault.GARBAGE_STATUS.expected().status()))
                .containsExactly(521, 522, 524, 502);
    }

    @Test
    void abortsAResponseCutAfterItsStatusLineAndStoresNothing() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.RESET_MID_BODY);
                GatewayFixture gateway = gatewayFor(origin)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (RawHttp client = gateway.client()) {
                    RawHttp.Response cut = client.send("GET / HTTP/1.1\r\nHost: broken.test\r\n\r\n").read();
                    // The status line had gone out: the client learns of the failure by the early close.
                    assertThat(cut.status()).isEqualTo(200);
                    assertThat(cut.header("Content-Length")).isEqualTo("1048576");
                    assertThat(cut.body().length).isLessThan(1048576);
                    assertThat(client.closedByPeer()).isTrue();
                }
            }
            String failures = adminGet(gateway, "/failures?code=OriginConnectionClosed");
            assertThat(failures).contains("\"responseStarted\":true");
            assertThat(origin.receivedRequests()).isEqualTo(2);
            assertThat(adminGet(gateway, "/metrics"))
                    .contains("telltale_failures_total{code=\"OriginConnectionClosed\",origin=\"127.0.0.1:"
                            + origin.port() + "\",site=\"broken\"} 2.0");
        }
    }

    @Test
    void passesAnOrigin500ThroughMarkedAsAnError() throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(OriginFault.ORIGIN_500);
                GatewayFixture gateway = gatewayFor(origin)) {
            RawHttp.Response response = GatewayErrors.get(gateway.port(), "broken.test", "/", "");

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
            assertThat(response.header("Proxy-Status")).contains("received-status=500");
            assertThat(response.header("X-Gateway-Error-Code")).isNull();
        }
    }

    private static String adminGet(GatewayFixture gateway, String path) throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("GET " + path + " HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
    }
}
