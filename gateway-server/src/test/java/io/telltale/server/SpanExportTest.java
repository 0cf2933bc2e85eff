package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.telltale.core.config.ConfigLoader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpanExportTest {
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final Pattern SENT = Pattern.compile("traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-01\n");

    @Test
    void exportsOneServerSpanPerExchangeWithTheIdsSentToTheOriginAndAnEventPerPhase() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        String echoed;
        try (TestOrigin origin = new TestOrigin()) {
            try (EdgeServer server = start(origin.port(), spans); RawHttp http = new RawHttp(server.httpPort())) {
                RawHttp.Response response = http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\ntraceparent: 00-"
                        + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01\r\n\r\n").read();
                assertThat(response.status()).isEqualTo(200);
                echoed = response.bodyText();
            }
        }
        // Closing the gateway flushed the export queue.
        List<SpanData> exported = spans.getFinishedSpanItems();
        assertThat(exported).hasSize(1);
        SpanData span = exported.get(0);
        Matcher sent = SENT.matcher(echoed);
        assertThat(sent.find()).as(echoed).isTrue();
        assertThat(span.getTraceId()).isEqualTo(CLIENT_TRACE).isEqualTo(sent.group(1));
        assertThat(span.getSpanId()).isEqualTo(sent.group(2));
        assertThat(span.getParentSpanId()).isEqualTo(CLIENT_SPAN);
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getName()).isEqualTo("GET");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("telltale.site"))).isEqualTo("www");
        assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("telltale");
        assertThat(span.getEvents()).extracting(EventData::getName).contains("connect", "first byte");
        for (EventData event : span.getEvents()) {
            assertThat(event.getEpochNanos()).isBetween(span.getStartEpochNanos(), span.getEndEpochNanos());
        }
    }

    @Test
    void aFailedExchangeCarriesItsCatalogueCodeAsTheSpansErrorStatus() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        int refusing;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = closed.getLocalPort();
        }
        try (EdgeServer server = start(refusing, spans); RawHttp http = new RawHttp(server.httpPort())) {
            RawHttp.Response response = http.send("GET /a HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(521);
            assertThat(response.header("X-Gateway-Error-Code")).isEqualTo("OriginConnectionRefused");
        }
        List<SpanData> exported = spans.getFinishedSpanItems();
        assertThat(exported).hasSize(1);
        SpanData span = exported.get(0);
        assertThat(span.getParentSpanContext().isValid()).as("a trace started here").isFalse();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("OriginConnectionRefused");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("telltale.code"))).isEqualTo("OriginConnectionRefused");
        assertThat(span.getEvents()).extracting(EventData::getName).contains("connect").doesNotContain("first byte");
    }

    @Test
    void aTraceTheClientDidNotSampleIsNotExported() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (TestOrigin origin = new TestOrigin()) {
            try (EdgeServer server = start(origin.port(), spans); RawHttp http = new RawHttp(server.httpPort())) {
                assertThat(http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\ntraceparent: 00-" + CLIENT_TRACE + "-"
                        + CLIENT_SPAN + "-00\r\n\r\n").read().status()).isEqualTo(200);
                assertThat(http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        assertThat(spans.getFinishedSpanItems().get(0).getTraceId()).isNotEqualTo(CLIENT_TRACE);
    }

    @Test
    void theConfiguredOtlpEndpointReceivesTheSpansOverHttp() throws Exception {
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        BlockingQueue<byte[]> posted = new LinkedBlockingQueue<>();
        BlockingQueue<String> types = new LinkedBlockingQueue<>();
        collector.createContext("/v1/traces", exchange -> {
            posted.add(exchange.getRequestBody().readAllBytes());
            types.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (TestOrigin origin = new TestOrigin()) {
            String yaml = """
                    server: {httpPort: 0}
                    admin: {enabled: false}
                    observe:
                      otlp: {endpoint: "http://127.0.0.1:%d/v1/traces", serviceName: edge-test}
                    sites:
                      - name: www
                        hosts: [www.test]
                        allowedOriginNetworks: [127.0.0.0/8]
                        origins: [{host: 127.0.0.1, httpPort: %d}]
                    """.formatted(collector.getAddress().getPort(), origin.port());
            try (EdgeServer server = EdgeServer.start(ConfigLoader.parse(yaml, "test.yaml"));
                    RawHttp http = new RawHttp(server.httpPort())) {
                assertThat(http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\ntraceparent: 00-" + CLIENT_TRACE + "-"
                        + CLIENT_SPAN + "-01\r\n\r\n").read().status()).isEqualTo(200);
            }
        } finally {
            collector.stop(0);
        }
        // Closing the gateway flushed the batch: one OTLP/HTTP protobuf request holding the client's trace id.
        byte[] body = posted.poll(10, TimeUnit.SECONDS);
        assertThat(body).isNotNull();
        assertThat(types.poll()).isEqualTo("application/x-protobuf");
        assertThat(new String(body, StandardCharsets.ISO_8859_1))
                .contains(new String(HexFormat.of().parseHex(CLIENT_TRACE), StandardCharsets.ISO_8859_1))
                .contains("edge-test");
    }

    private static EdgeServer start(int originPort, InMemorySpanExporter spans) throws InterruptedException {
        // The in-memory exporter forgets its spans when shut down, which closing the gateway does: keep them.
        SpanExporter keeping = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> batch) {
                return spans.export(batch);
            }

            @Override
            public CompletableResultCode flush() {
                return spans.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        return EdgeServer.start(ConfigLoader.parse("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %d, connectTimeout: 2s}]
                """.formatted(originPort), "test.yaml"), keeping);
    }
}
