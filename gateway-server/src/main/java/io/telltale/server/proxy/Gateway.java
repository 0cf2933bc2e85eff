package io.telltale.server.proxy;

import io.telltale.core.cache.EdgeCache;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.LimitsConfig;
import io.telltale.core.failure.FailureJournal;
import io.telltale.core.origin.OriginConnector;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.server.cluster.ClusterRole;
import io.telltale.server.observe.AccessLog;
import io.telltale.server.observe.GatewayMetrics;
import io.telltale.server.trace.ExchangeSpans;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * What every client connection's proxy handler shares: routing, the origin connector, limits, clocks,
 * the failure journal, metrics and the access log. It is immutable: a config reload replaces it whole, and each
 * exchange reads it once, when it starts.
 *
 * @param config the configuration it was built from
 * @param router finds the site for a host name
 * @param connector gets origin connections
 * @param originTls origin TLS contexts, also used to name TLS failures on a connection's first read
 * @param cache the shared edge cache
 * @param journal the bounded record of recent failures
 * @param metrics the Prometheus metrics
 * @param accessLog the asynchronous access log
 * @param nanoClock the monotonic clock for timelines
 * @param epochClock the wall clock for logs, in milliseconds
 * @param responseBuffers the bytes held for clients slower than their origins
 * @param resources what to release when the gateway stops, in order
 * @param draining set once a stop began: responses then close their connections
 * @param spans the export of one span per exchange, or null when no span is exported
 * @param cluster this gateway's part in a cluster that shares one cache, or null when it runs alone
 */
public record Gateway(
        GatewayConfig config,
        SiteRouter router,
        OriginConnector connector,
        OriginTlsContexts originTls,
        EdgeCache cache,
        FailureJournal journal,
        GatewayMetrics metrics,
        AccessLog accessLog,
        LongSupplier nanoClock,
        LongSupplier epochClock,
        ResponseBuffers responseBuffers,
        List<AutoCloseable> resources,
        AtomicBoolean draining,
        ExchangeSpans spans,
        ClusterRole cluster) implements AutoCloseable {

    /** Returns the client and origin limits. */
    public LimitsConfig limits() {
        return config.limits();
    }

    /** Returns the pseudonym used in Via, CDN-Loop, Proxy-Status and Cache-Status. */
    String via() {
        return config.server().via();
    }

    /** Releases the resolver, its threads and the access log. */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Gateway.class).warn("releasing {} failed", resource, e);
            }
        }
    }
}
