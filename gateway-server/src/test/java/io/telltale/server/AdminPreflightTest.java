package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminPreflightTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.forOrigin(origin.port(), "");
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    private RawHttp.Response get(RawHttp admin, String target) throws IOException {
        return admin.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
    }

    private static JsonNode verdict(JsonNode report, String profile) {
        for (JsonNode v : report.get("verdicts")) {
            if (v.get("profile").asText().equals(profile)) {
                return v;
            }
        }
        throw new AssertionError("no verdict for " + profile + " in " + report);
    }

    @Test
    void aHealthyOriginPassesTheAskedCdnsAndAClosedPortFailsInEachCdnsTerms() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response healthy = get(admin, "/preflight?url=http://127.0.0.1:" + origin.port()
                    + "/echo&cdn=fastly,telltale");
            assertThat(healthy.status()).as(healthy.bodyText()).isEqualTo(200);
            assertThat(healthy.header("Content-Type")).isEqualTo("application/json");
            JsonNode report = JSON.readTree(healthy.bodyText());
            assertThat(report.get("exitStatus").asInt()).isZero();
            assertThat(report.get("verdicts")).hasSize(2);
            assertThat(verdict(report, "fastly").get("pass").asBoolean()).isTrue();
            assertThat(verdict(report, "telltale").get("pass").asBoolean()).isTrue();

            RawHttp.Response refused = get(admin, "/preflight?url=http://127.0.0.1:" + closed + "/&cdn=fastly,akamai");
            JsonNode failed = JSON.readTree(refused.bodyText());
            assertThat(failed.get("exitStatus").asInt()).isEqualTo(3);
            JsonNode fastly = verdict(failed, "fastly");
            assertThat(fastly.get("pass").asBoolean()).isFalse();
            assertThat(fastly.get("status").asInt()).isEqualTo(503);
            assertThat(fastly.get("code").asText()).isEqualTo("OriginConnectionRefused");
            assertThat(verdict(failed, "akamai").get("cdnError").asText()).isEqualTo("ERR_CONNECT_FAIL");
        }
    }

    @Test
    void thePreflightReachesOnlyWhatTheSitesMayReachLikeDiagnose() throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            // The sites allow 127.0.0.0/8 only: ::1 is loopback too, but no site's origin may be there.
            RawHttp.Response prohibited = get(admin, "/preflight?url=http://[::1]:" + origin.port() + "/&cdn=fastly");
            JsonNode fastly = verdict(JSON.readTree(prohibited.bodyText()), "fastly");
            assertThat(fastly.get("pass").asBoolean()).isFalse();
            assertThat(fastly.get("code").asText()).isEqualTo("OriginIpProhibited");
        }
    }

    @Test
    void badInputIsAClearFourHundred() throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            assertThat(get(admin, "/preflight").bodyText())
                    .isEqualTo("url: none (expected: /preflight?url=https://origin.example/path[&cdn=cloudfront,fastly])\n");
            RawHttp.Response ftp = get(admin, "/preflight?url=ftp://x/");
            assertThat(ftp.status()).isEqualTo(400);
            assertThat(ftp.bodyText()).isEqualTo("url: ftp://x/ (expected: an http or https URL)\n");
            RawHttp.Response cdn = get(admin, "/preflight?url=http://127.0.0.1:" + origin.port() + "/&cdn=fastly,nosuch");
            assertThat(cdn.status()).isEqualTo(400);
            assertThat(cdn.bodyText()).startsWith("cdn: nosuch (expected: cloudfront, cloudflare-full,");
        }
    }
}
