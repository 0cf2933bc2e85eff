package io.telltale.server.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's Prometheus metrics: requests by client protocol, site, status and code; failures by code, site and origin;
 * open tunnels and the bytes they carried; origin connect and first-byte timings; open connections and pool sizes.
 *
 * <p>Meters are looked up in maps keyed by records, so the request path never builds tag lists.
 */
public final class GatewayMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter[]>> answered = new ConcurrentHashMap<>();
    private final Map<FailureKey, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Timer> connectTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstByteTimers = new ConcurrentHashMap<>();
    private final Map<TunnelKey, Counter> tunnelBytes = new ConcurrentHashMap<>();
    private final AtomicInteger clientConnections = new AtomicInteger();
    private final AtomicInteger openTunnels = new AtomicInteger();

    public GatewayMetrics() {
        Gauge.builder("telltale_client_connections", clientConnections, AtomicInteger::get)
                .description("Open client connections")
                .register(registry);
        Gauge.builder("telltale_tunnels_open", openTunnels, AtomicInteger::get)
                .description("Open tunnels: upgraded connections (WebSocket) between a client and an origin")
                .register(registry);
    }

    /** Registers a gauge read on each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * Registers a count that {@code holder} keeps for one origin of a site, read on each scrape; the registry holds
     * the holder only weakly, so it must live as long as the gateway does.
     */
    public <T> void originCount(String name, String description, String site, String origin, T holder,
            ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, holder, count).description(description)
                .tag("site", site).tag("origin", origin).register(registry);
    }

    /**
     * Registers a gauge that {@code holder} keeps for one origin of a site, read on each scrape; the registry holds
     * the holder only weakly, so it must live as long as the gateway does.
     */
    public <T> void originGauge(String name, String description, String site, String origin, T holder,
            ToDoubleFunction<T> value) {
        Gauge.builder(name, holder, value).description(description)
                .tag("site", site).tag("origin", origin).register(registry);
    }

    /** Counts a finished request; {@code protocol} is the client's ({@code h1}, {@code h2}). */
    public void request(String protocol, String site, int status, String code) {
        if (status >= 100 && status < 600 && "-".equals(code)) {
            // Most requests end without a failure: their counter is found by index, with no key to build.
            Counter[] byStatus = answered.computeIfAbsent(protocol, p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(site, s -> new Counter[500]);
            Counter counter = byStatus[status - 100];
            if (counter == null) {
                // Two loops may race here; the registry hands both the same meter.
                counter = requestCounter(new RequestKey(protocol, site, status, code));
                byStatus[status - 100] = counter;
            }
            counter.increment();
            return;
        }
        requests.computeIfAbsent(new RequestKey(protocol, site, status, code), this::requestCounter).increment();
    }

    private Counter requestCounter(RequestKey k) {
        return Counter.builder("telltale_requests")
                .description("Requests answered, by client protocol, site, status and failure code")
                .tag("protocol", k.protocol).tag("site", k.site).tag("status", Integer.toString(k.status)).tag("code", k.code)
                .register(registry);
    }

    /** Counts a failure. */
    public void failure(String code, String site, String origin) {
        failures.computeIfAbsent(new FailureKey(code, site, origin), k -> Counter.builder("telltale_failures")
                .description("Failures to serve a request, by catalogue code, site and origin")
                .tag("code", k.code).tag("site", k.site).tag("origin", k.origin)
                .register(registry)).increment();
    }

    /** Records the time a new origin connection took. */
    public void originConnect(String site, long millis) {
        if (millis >= 0) {
            connectTimers.computeIfAbsent(site, s -> Timer.builder("telltale_origin_connect")
                    .description("Time to open a TCP connection to an origin").tag("site", s)
                    .register(registry)).record(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Records the time from request sent to the origin's first response byte. */
    public void originFirstByte(String site, long millis) {
        if (millis >= 0) {
            firstByteTimers.computeIfAbsent(site, s -> Timer.builder("telltale_origin_first_byte")
                    .description("Time from the request sent to the origin's first response byte").tag("site", s)
                    .register(registry)).record(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Counts a client connection opening. */
    public void clientConnected() {
        clientConnections.incrementAndGet();
    }

    /** Counts a client connection closing. */
    public void clientDisconnected() {
        clientConnections.decrementAndGet();
    }

    /** Returns the metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Counts the bytes of a tunnel that closed, each way, and the tunnel no longer open. */
    public void tunnelClosed(String site, String protocol, long bytesToOrigin, long bytesToClient) {
        openTunnels.decrementAndGet();
        tunnelBytes.computeIfAbsent(new TunnelKey(site, protocol, "to_origin"), this::tunnelCounter)
                .increment(bytesToOrigin);
        tunnelBytes.computeIfAbsent(new TunnelKey(site, protocol, "to_client"), this::tunnelCounter)
                .increment(bytesToClient);
    }

    /** Counts a tunnel that opened (an origin switched protocols). */
    public void tunnelOpened() {
        openTunnels.incrementAndGet();
    }

    private Counter tunnelCounter(TunnelKey k) {
        return Counter.builder("telltale_tunnel_bytes")
                .description("Bytes carried by closed tunnels (upgraded connections), by site, protocol and direction")
                .tag("site", k.site).tag("protocol", k.protocol).tag("direction", k.direction)
                .register(registry);
    }

    private record TunnelKey(String site, String protocol, String direction) {
    }

    private record RequestKey(String protocol, String site, int status, String code) {
    }

    private record FailureKey(String code, String site, String origin) {
    }

    /** Removes the counts {@link #originCount} registered for a site, before its origins are counted anew. */
    public void removeOriginCounts(String site) {
        for (Meter meter : registry.getMeters()) {
            if (meter instanceof FunctionCounter && site.equals(meter.getId().getTag("site"))) {
                registry.remove(meter);
            }
        }
    }

    /** Counts a config reload by its result ({@code success} or {@code failure}). */
    public void configReload(String result) {
        Counter.builder("telltale_config_reloads").description("Config reloads by result").tag("result", result)
                .register(registry).increment();
    }
}
