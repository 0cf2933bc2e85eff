package io.telltale.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telltale.core.config.ConfigException;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.tls.EdgeTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import io.telltale.server.admin.AdminResponse;
import io.telltale.server.admin.AdminServer;
import io.telltale.server.edge.EdgeChannelInitializer;
import io.telltale.server.edge.HttpEdgeHandler;
import io.telltale.server.edge.Transport;
import io.telltale.server.health.HealthChecker;
import io.telltale.server.proxy.Gateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the edge listener and the admin listener on one set of event loops.
 *
 * <p>Stopping stops accepting first, lets in-flight requests finish within the drain timeout, then closes
 * what remains.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
    private static final AdaptiveRecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator();

    private final GatewayConfig config;
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final Gateway gateway;
    private final Channel httpChannel;
    private final Channel httpsChannel;
    private final EdgeTlsContexts certificates;
    private final AdminServer admin;
    private final GatewayAdminView adminView;
    private final HealthChecker healthChecker;

    private EdgeServer(GatewayConfig config, Function<InetAddress, Integer> authoritativePorts,
            Map<String, Supplier<AdminResponse>> adminRoutes, Clock cacheClock, Transport transport)
            throws InterruptedException {
        this.config = config;
        this.transport = transport;
        this.bossGroup = transport.newGroup(1);
        this.workerGroup = transport.newGroup(config.server().ioThreads());
        Gateway assembled = null;
        boolean started = false;
        try {
            assembled = new GatewayAssembly(authoritativePorts, cacheClock).assemble(config, transport);
            this.gateway = assembled;
            this.certificates = config.server().httpsPort() == null ? null : certificates(config);
            this.adminView = new GatewayAdminView(gateway, authoritativePorts, certificates);
            this.httpChannel = listen("server.httpPort", config.server().httpPort(),
                    new EdgeChannelInitializer(() -> gateway, clients, null));
            this.httpsChannel = certificates == null ? null : listen("server.httpsPort", config.server().httpsPort(),
                    new EdgeChannelInitializer(() -> gateway, clients, certificates));
            this.admin = config.admin().enabled()
                    ? AdminServer.start(config.admin(), transport.serverChannel(), bossGroup, workerGroup,
                            adminView, adminRoutes)
                    : null;
            this.healthChecker = HealthChecker.start(gateway, workerGroup);
            started = true;
            LOG.info("telltale listening: http={} https={} admin={} transport={}", httpChannel.localAddress(),
                    httpsChannel == null ? "off" : httpsChannel.localAddress(),
                    admin == null ? "off" : admin.localAddress(), transport.name());
        } finally {
            if (!started) {
                // A listener that failed to bind (or bad TLS material) must not leave threads or sockets behind.
                bossGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                workerGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                if (assembled != null) {
                    assembled.close();
                }
            }
        }
    }

    private Channel listen(String field, int port, EdgeChannelInitializer initializer) throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // One allocator for all connections: Netty otherwise makes one per connection, kept while it lives.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                .childHandler(initializer)
                .bind(config.server().bindAddress(), port)
                .await();
        return boundOrProblem(bound, field, config.server().bindAddress(), port);
    }

    /** Returns the bound channel, or names the field whose address could not be bound, like any config problem. */
    static Channel boundOrProblem(ChannelFuture bound, String field, String address, int port) {
        if (!bound.isSuccess()) {
            throw new ConfigException(List.of(field + ": " + port + " (expected: a port free to listen on at " + address
                    + "; " + bound.cause().getMessage() + ")"));
        }
        return bound.channel();
    }

    /**
     * Reads every certificate, key and CA bundle the config names and returns their problems, each naming its
     * field and file; empty when the gateway would start with them.
     */
    public static List<String> checkTlsMaterial(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        try {
            GatewayAssembly.originTls(config);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (config.server().httpsPort() != null) {
            try {
                certificates(config);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return problems;
    }

    private static EdgeTlsContexts certificates(GatewayConfig config) {
        try {
            return EdgeTlsContexts.load(config.server(), config.sites(), Clock.systemUTC());
        } catch (TlsConfigException e) {
            throw new ConfigException(e.problems());
        }
    }

    /** Starts the gateway described by a validated config; listeners are bound when it returns. */
    public static EdgeServer start(GatewayConfig config) throws InterruptedException {
        return new EdgeServer(config, null, Map.of(), Clock.systemUTC(), Transport.best());
    }

    /** Starts a gateway whose cache reads time from {@code cacheClock}, so that a test can move it. */
    static EdgeServer start(GatewayConfig config, Clock cacheClock) throws InterruptedException {
        return new EdgeServer(config, null, Map.of(), cacheClock, Transport.best());
    }

    /**
     * Starts a gateway whose delegation diagnosis asks each authoritative server on the port this map gives
     * (the lab runs them on loopback high ports); null asks on {@code dns.authoritativePort}.
     */
    public static EdgeServer start(GatewayConfig config, Function<InetAddress, Integer> authoritativePorts)
            throws InterruptedException {
        return new EdgeServer(config, authoritativePorts, Map.of(), Clock.systemUTC(), Transport.best());
    }

    /** Starts a gateway as {@link #start(GatewayConfig, Function)} does, with extra admin GET routes by path. */
    public static EdgeServer start(GatewayConfig config, Function<InetAddress, Integer> authoritativePorts,
            Map<String, Supplier<AdminResponse>> adminRoutes) throws InterruptedException {
        return new EdgeServer(config, authoritativePorts, adminRoutes, Clock.systemUTC(), Transport.best());
    }

    /** Starts a gateway on a given transport: tests pass one whose origin sockets cannot leave loopback. */
    static EdgeServer start(GatewayConfig config, Transport transport) throws InterruptedException {
        return new EdgeServer(config, null, Map.of(), Clock.systemUTC(), transport);
    }

    /** Returns the port the HTTP listener is bound to. */
    public int httpPort() {
        return ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** Returns the port the HTTPS listener is bound to, or -1 when there is none. */
    public int httpsPort() {
        return httpsChannel == null ? -1 : ((InetSocketAddress) httpsChannel.localAddress()).getPort();
    }

    /** Returns the port the admin listener is bound to, or -1 when it is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** Returns the configuration this server runs. */
    public GatewayConfig config() {
        return config;
    }

    /** Stops accepting, drains in-flight requests within the configured drain timeout, and releases everything. */
    @Override
    public void close() {
        stop(config.server().drainTimeout());
    }

    /** Stops accepting, lets in-flight requests finish within the bound, then closes what remains. */
    public void stop(Duration drainTimeout) {
        if (!gateway.draining().compareAndSet(false, true)) {
            return;
        }
        httpChannel.close().syncUninterruptibly();
        if (httpsChannel != null) {
            httpsChannel.close().syncUninterruptibly();
        }
        for (Channel client : clients) {
            client.pipeline().fireUserEventTriggered(HttpEdgeHandler.DRAIN);
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            clients.newCloseFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        healthChecker.close();
        if (admin != null) {
            admin.close();
        }
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        adminView.close();
        gateway.close();
        LOG.info("telltale stopped");
    }
}
