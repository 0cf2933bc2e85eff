package io.telltale.core.config;

/**
 * What the gateway tells about its traffic beyond metrics: the access log's format, W3C trace context toward
 * origins, and OpenTelemetry span export.
 *
 * @param accessLogFormat {@code text} ({@code key=value} fields) or {@code json} (one object per line)
 * @param traceContext whether the gateway continues the client's W3C {@code traceparent} (or starts a trace when
 *     there is none) and sends it to the origin, as the parent of the origin's work
 * @param otlp where to export one span per exchange over OTLP, or left out to export none
 */
public record ObserveConfig(
        @Default("text") AccessLogFormat accessLogFormat,
        @Default("false") boolean traceContext,
        @Optional OtlpConfig otlp) {
}
