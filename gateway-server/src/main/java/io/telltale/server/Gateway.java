package io.telltale.server;

import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.LimitsConfig;
import io.telltale.core.dns.OriginResolver;
import io.telltale.core.failure.Failure;
import io.telltale.core.origin.OriginConnector;
import io.telltale.core.origin.OriginTarget;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * What every client connection's proxy handler shares: routing, the origin connector, limits, clocks,
 * classification, metrics and the access log. It is immutable; a config reload builds a new one.
 *
 * @param config the configuration it was built from
 * @param resolver resolves origin names
 * @param router finds the site for a host name
 * @param connector gets origin connections
 * @param responseFailures classifies an origin failure during the response phase
 * @param metrics the Prometheus metrics
 * @param accessLog the asynchronous access log
 * @param nanoClock the monotonic clock for timelines
 * @param epochClock the wall clock for logs, in milliseconds
 */
record Gateway(
        GatewayConfig config,
        OriginResolver resolver,
        SiteRouter router,
        OriginConnector connector,
        BiFunction<Throwable, OriginTarget, Failure> responseFailures,
        GatewayMetrics metrics,
        AccessLog accessLog,
        LongSupplier nanoClock,
        LongSupplier epochClock) implements AutoCloseable {

    /** Returns the client and origin limits. */
    LimitsConfig limits() {
        return config.limits();
    }

    /** Releases the resolver and flushes the access log. */
    @Override
    public void close() {
        resolver.close();
        accessLog.close();
    }

    /** Returns the pseudonym used in Via and CDN-Loop. */
    String via() {
        return config.server().via();
    }
}
