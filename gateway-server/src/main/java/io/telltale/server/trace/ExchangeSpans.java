package io.telltale.server.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.telltale.core.config.OtlpConfig;
import io.telltale.core.failure.RequestTimeline;
import java.util.concurrent.TimeUnit;

/**
 * Exports one OpenTelemetry span per exchange: a server span whose ids are those the exchange sent to its origin
 * in {@code traceparent}, with an event per phase its timeline reached (dns, connect, tls, first byte) and the
 * catalogue code as its error status. Spans leave in batches from the SDK's background thread.
 */
public final class ExchangeSpans implements AutoCloseable {
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> HOST = AttributeKey.stringKey("server.address");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");
    private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("telltale.protocol");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("telltale.request_id");
    private static final AttributeKey<String> SITE = AttributeKey.stringKey("telltale.site");
    private static final AttributeKey<String> CACHE = AttributeKey.stringKey("telltale.cache");
    private static final AttributeKey<String> CODE = AttributeKey.stringKey("telltale.code");
    private static final AttributeKey<Long> DURATION = AttributeKey.longKey("telltale.duration_us");
    private static final ThreadLocal<TraceParent> STARTING = new ThreadLocal<>();

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    /** Creates the export of spans to {@code exporter}, whose resource names the service {@code serviceName}. */
    public ExchangeSpans(SpanExporter exporter, String serviceName) {
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                // A client that did not sample its trace is not sampled here either; a trace started here is.
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .setIdGenerator(new ChosenIds())
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        this.tracer = provider.get("io.telltale");
    }

    /** Returns the export OTLP/HTTP to the configured collector, or null when none is configured. */
    public static ExchangeSpans of(OtlpConfig otlp) {
        if (otlp == null) {
            return null;
        }
        return new ExchangeSpans(OtlpHttpSpanExporter.builder().setEndpoint(otlp.endpoint())
                .setTimeout(otlp.timeout()).build(), otlp.serviceName());
    }

    /**
     * Records one finished exchange as a span.
     *
     * @param trace the exchange's place in its trace
     * @param exchange what the access log says of the exchange
     * @param timeline when each of its phases ran
     */
    public void export(TraceParent trace, ExchangeSummary exchange, RequestTimeline timeline) {
        SpanContext parent = trace.continued()
                ? SpanContext.createFromRemoteParent(trace.traceId(), trace.parentSpanId(),
                        TraceFlags.fromHex(trace.flags(), 0), TraceState.getDefault())
                : SpanContext.getInvalid();
        long startNanos = TimeUnit.MILLISECONDS.toNanos(exchange.epochMillis());
        AttributesBuilder attributes = Attributes.builder()
                .put(METHOD, exchange.method())
                .put(STATUS, (long) exchange.status())
                .put(HOST, exchange.host())
                .put(PATH, exchange.path())
                .put(CLIENT, exchange.client())
                .put(PROTOCOL, exchange.protocol())
                .put(REQUEST_ID, exchange.requestId())
                .put(SITE, exchange.site())
                .put(CACHE, exchange.cache());
        if (exchange.code() != null) {
            attributes.put(CODE, exchange.code());
        }
        Span span;
        STARTING.set(trace);
        try {
            span = tracer.spanBuilder(exchange.method())
                    .setParent(Context.root().with(Span.wrap(parent)))
                    .setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                    .setAllAttributes(attributes.build())
                    .startSpan();
        } finally {
            STARTING.remove();
        }
        event(span, "dns", startNanos, timeline.dnsSpan());
        event(span, "connect", startNanos, timeline.connectSpan());
        event(span, "tls", startNanos, timeline.tlsSpan());
        event(span, "first byte", startNanos, timeline.firstByteSpan());
        if (exchange.code() != null) {
            span.setStatus(StatusCode.ERROR, exchange.code());
        }
        span.end(startNanos + TimeUnit.MILLISECONDS.toNanos(exchange.durationMillis()), TimeUnit.NANOSECONDS);
    }

    /** Sends what is still queued and stops the export thread. */
    @Override
    public void close() {
        provider.close();
    }

    private static void event(Span span, String name, long startNanos, RequestTimeline.Span phase) {
        if (phase.started()) {
            span.addEvent(name, Attributes.of(DURATION, phase.ended() ? phase.endMicros() - phase.startMicros() : -1),
                    startNanos + TimeUnit.MICROSECONDS.toNanos(phase.startMicros()), TimeUnit.NANOSECONDS);
        }
    }

    /** Gives the span being started the ids its exchange already sent to the origin. */
    private static final class ChosenIds implements IdGenerator {
        @Override
        public String generateSpanId() {
            TraceParent trace = STARTING.get();
            return trace != null ? trace.spanId() : IdGenerator.random().generateSpanId();
        }

        @Override
        public String generateTraceId() {
            TraceParent trace = STARTING.get();
            return trace != null ? trace.traceId() : IdGenerator.random().generateTraceId();
        }
    }
}
