package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final Pattern SENT = Pattern.compile("traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})\n");

    @Test
    void continuesTheClientsTraceWithItsOwnSpanAndPassesTheTraceState() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = tracing(origin, "true");
                RawHttp http = gateway.client()) {
            String echoed = echo(http, "traceparent: 00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01\r\n"
                    + "tracestate: congo=t61rcWkgMzE\r\n");
            Matcher sent = SENT.matcher(echoed);
            assertThat(sent.find()).as(echoed).isTrue();
            assertThat(sent.group(1)).isEqualTo(CLIENT_TRACE);
            assertThat(sent.group(2)).isNotEqualTo(CLIENT_SPAN).isNotEqualTo("0000000000000000");
            assertThat(sent.group(3)).isEqualTo("01");
            assertThat(echoed).contains("tracestate: congo=t61rcWkgMzE\n");
        }
    }

    @Test
    void startsATraceWhenTheClientSentNoneOrAnInvalidOneAndDropsItsTraceState() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = tracing(origin, "true");
                RawHttp http = gateway.client()) {
            Matcher started = SENT.matcher(echo(http, ""));
            assertThat(started.find()).isTrue();
            assertThat(started.group(1)).isNotEqualTo("00000000000000000000000000000000");
            assertThat(started.group(3)).isEqualTo("01");

            String invalid = echo(http, "traceparent: 00-" + "0".repeat(32) + "-" + CLIENT_SPAN + "-01\r\n"
                    + "tracestate: congo=t61rcWkgMzE\r\n");
            Matcher restarted = SENT.matcher(invalid);
            assertThat(restarted.find()).as(invalid).isTrue();
            assertThat(restarted.group(1)).isNotEqualTo("0".repeat(32)).isNotEqualTo(started.group(1));
            assertThat(invalid).doesNotContain("tracestate");
        }
    }

    @Test
    void leavesTraceHeadersAloneWhenTraceContextIsOff() throws Exception {
        try (TestOrigin origin = new TestOrigin(); GatewayFixture gateway = tracing(origin, "false");
                RawHttp http = gateway.client()) {
            String sent = "traceparent: 00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-00";
            assertThat(echo(http, sent + "\r\n")).contains(sent + "\n");
            assertThat(echo(http, "")).doesNotContain("traceparent");
        }
    }

    private static GatewayFixture tracing(TestOrigin origin, String traceContext) throws InterruptedException {
        return GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                observe: {traceContext: %s}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(traceContext, origin.port()));
    }

    private static String echo(RawHttp http, String headers) throws Exception {
        RawHttp.Response response = http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n" + headers + "\r\n").read();
        assertThat(response.status()).isEqualTo(200);
        return response.bodyText();
    }
}
