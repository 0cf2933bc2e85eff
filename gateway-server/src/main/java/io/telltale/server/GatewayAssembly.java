package io.telltale.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.NetUtil;
import io.telltale.core.config.Cidr;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.dns.OriginResolver;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.origin.AddressGuard;
import io.telltale.core.origin.OriginConnector;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.origin.OriginTls;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Builds the shared {@link Gateway} from a validated config: sites, router, resolver, connector, metrics. */
final class GatewayAssembly {

    /** Returns a gateway for the config on the given transport. */
    Gateway assemble(GatewayConfig config, Transport transport) {
        List<Site> sites = new ArrayList<>();
        for (SiteConfig site : config.sites()) {
            sites.add(site(site));
        }
        OriginResolver resolver = new LiteralResolver();
        OriginConnector connector = new OriginConnector(transport.clientChannel(), resolver, new NoOriginTls(),
                GatewayAssembly::classify, System::nanoTime, config.limits().maxResponseHeaderSize().toIntBytes());
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.gauge("telltale_origin_connections", "Open origin connections", connector::openConnections);
        metrics.gauge("telltale_origin_pool_idle", "Idle pooled origin connections", connector::idleConnections);
        return new Gateway(config, resolver, new SiteRouter(sites), connector, GatewayAssembly::classify, metrics,
                new AccessLog(), System::nanoTime, System::currentTimeMillis);
    }

    private static Site site(SiteConfig site) {
        List<Predicate<InetAddress>> trusted = new ArrayList<>();
        for (String network : site.trustedNetworks()) {
            trusted.add(Cidr.parse(network)::contains);
        }
        return new Site(site, AddressGuard.ALLOW_ALL, new ClientTrust(site.detail(), site.debugToken(), trusted));
    }

    private static Failure classify(Throwable cause, OriginTarget target) {
        Evidence evidence = Evidence.builder()
                .put("origin", target == null ? null : target.nextHop())
                .put("exception", cause.getClass().getName())
                .build();
        if (cause instanceof NoRouteToHostException) {
            return Failure.of(FailureCode.ORIGIN_UNREACHABLE, "There is no route to the origin.", evidence);
        }
        if (cause instanceof ConnectException) {
            return Failure.of(FailureCode.ORIGIN_CONNECTION_REFUSED, "The origin refused the connection.", evidence);
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return Failure.of(FailureCode.ORIGIN_CONNECT_TIMEOUT, "The origin did not accept the connection in time.",
                    evidence);
        }
        if (cause instanceof ReadTimeoutException) {
            return Failure.of(FailureCode.ORIGIN_RESPONSE_TIMEOUT, "The origin did not answer in time.", evidence);
        }
        if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            return Failure.of(FailureCode.ORIGIN_HEADER_TOO_BIG, "The origin's response headers are too large.",
                    evidence);
        }
        if (cause instanceof ClosedChannelException || cause instanceof java.io.IOException) {
            return Failure.of(FailureCode.ORIGIN_CONNECTION_CLOSED,
                    "The origin closed the connection before a complete response.", evidence);
        }
        return Failure.of(FailureCode.ORIGIN_INVALID_RESPONSE, "The origin's response is not valid HTTP/1.1.",
                evidence);
    }

    /** Resolves IP literals only, until the DNS resolver is wired. */
    private static final class LiteralResolver implements OriginResolver {
        @Override
        public CompletableFuture<ResolvedOrigin> resolve(String host) {
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
            if (address == null) {
                return CompletableFuture.failedFuture(Failure.of(FailureCode.NON_S3_ORIGIN_DNS_ERROR,
                        "Origin names cannot be resolved yet: only IP literal origins are supported.",
                        Evidence.builder().put("host", host).build()).toException());
            }
            return CompletableFuture.completedFuture(
                    new ResolvedOrigin(host, List.of(address), List.of(), Duration.ZERO, false, Evidence.empty()));
        }
    }

    /** Refuses HTTPS origins until origin TLS is wired. */
    private static final class NoOriginTls implements OriginTls {
        @Override
        public SslHandler newHandler(ByteBufAllocator alloc, OriginTarget target) {
            throw new IllegalStateException("origin TLS is not available yet");
        }

        @Override
        public Failure classify(Throwable cause, SslHandler handler, OriginTarget target, boolean afterHandshake) {
            return Failure.of(FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED, "TLS failed.", Evidence.empty());
        }
    }
}
