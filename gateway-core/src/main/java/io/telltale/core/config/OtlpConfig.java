package io.telltale.core.config;

import java.time.Duration;

/**
 * OpenTelemetry span export over OTLP/HTTP (protobuf); spans leave in batches from a background thread.
 *
 * @param endpoint the collector's traces URL, e.g. {@code http://127.0.0.1:4318/v1/traces}
 * @param serviceName the {@code service.name} resource attribute of every span
 * @param timeout how long one export may take before the batch is dropped
 */
public record OtlpConfig(
        String endpoint,
        @Default("telltale") String serviceName,
        @Default("10s") Duration timeout) {
}
