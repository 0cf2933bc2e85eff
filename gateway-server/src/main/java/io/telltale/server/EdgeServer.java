package io.telltale.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.telltale.core.config.ConfigException;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.tls.EdgeTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import io.telltale.server.admin.AdminResponse;
import io.telltale.server.admin.AdminServer;
import io.telltale.server.edge.Transport;
import io.telltale.server.health.HealthChecker;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.reload.DroppedSiteCaches;
import io.telltale.server.reload.LoadedConfig;
import io.telltale.server.reload.RestartOnlyFields;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final AdminServer admin;
    private final GatewayAdminView adminView;
    private final ConfigReloads reloads = new ConfigReloads(this);
    private final Mapping<String, SslContext> currentCertificates = name -> this.certificates.map(name);
    private final Supplier<Gateway> currentGateway = () -> this.gateway;
    private final List<EdgeListener> retired = new ArrayList<>();
    private volatile Gateway gateway;
    private volatile HealthChecker healthChecker;
    private volatile EdgeTlsContexts certificates;
    private volatile LoadedConfig loaded;
    private EdgeListener http;
    private EdgeListener https;

    private EdgeServer(LoadedConfig loaded, Function<InetAddress, Integer> authoritativePorts,
            Map<String, Supplier<AdminResponse>> adminRoutes, Clock cacheClock, Transport transport)
            throws InterruptedException {
        this(loaded, authoritativePorts, adminRoutes, new GatewayAssembly(authoritativePorts, cacheClock), transport);
    }

    private EdgeServer(LoadedConfig loaded, Function<InetAddress, Integer> authoritativePorts,
            Map<String, Supplier<AdminResponse>> adminRoutes, GatewayAssembly assembly, Transport transport)
            throws InterruptedException {
        GatewayConfig config = loaded.config();
        this.loaded = loaded;
        this.transport = transport;
        this.bossGroup = transport.newGroup(1);
        this.workerGroup = transport.newGroup(config.server().ioThreads());
        Gateway assembled = null;
        boolean started = false;
        try {
            assembled = assembly.assemble(config, transport);
            this.gateway = assembled;
            this.certificates = config.server().httpsPort() == null ? null : certificates(config);
            this.adminView = new GatewayAdminView(currentGateway, () -> certificates, authoritativePorts,
                    reloads);
            this.http = listen("server.httpPort", config, config.server().httpPort(), null);
            this.https = certificates == null ? null
                    : listen("server.httpsPort", config, config.server().httpsPort(), currentCertificates);
            this.admin = config.admin().enabled()
                    ? AdminServer.start(config.admin(), transport.serverChannel(), bossGroup, workerGroup,
                            adminView, adminRoutes)
                    : null;
            this.healthChecker = HealthChecker.start(gateway, workerGroup);
            started = true;
            LOG.info("telltale listening: http={} https={} admin={} transport={} config={}", http.localAddress(),
                    https == null ? "off" : https.localAddress(),
                    admin == null ? "off" : admin.localAddress(), transport.name(), loaded.digest());
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

    private EdgeListener listen(String field, GatewayConfig config, int port, Mapping<String, SslContext> tls)
            throws InterruptedException {
        return EdgeListener.bind(field, config.server().bindAddress(), port, bossGroup, workerGroup, transport,
                currentGateway, tls);
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
        return start(LoadedConfig.of(config, Instant.now()));
    }

    /** Starts the gateway a config file described; {@link #reload()} reads that file again. */
    public static EdgeServer start(LoadedConfig loaded) throws InterruptedException {
        return new EdgeServer(loaded, null, Map.of(), Clock.systemUTC(), Transport.best());
    }

    /** Starts a gateway whose cache reads time from {@code cacheClock}, so that a test can move it. */
    static EdgeServer start(GatewayConfig config, Clock cacheClock) throws InterruptedException {
        return new EdgeServer(LoadedConfig.of(config, Instant.now()), null, Map.of(), cacheClock, Transport.best());
    }

    /**
     * Starts a gateway whose delegation diagnosis asks each authoritative server on the port this map gives
     * (the lab runs them on loopback high ports); null asks on {@code dns.authoritativePort}.
     */
    public static EdgeServer start(GatewayConfig config, Function<InetAddress, Integer> authoritativePorts)
            throws InterruptedException {
        return start(config, authoritativePorts, Map.of());
    }

    /** Starts a gateway as {@link #start(GatewayConfig, Function)} does, with extra admin GET routes by path. */
    public static EdgeServer start(GatewayConfig config, Function<InetAddress, Integer> authoritativePorts,
            Map<String, Supplier<AdminResponse>> adminRoutes) throws InterruptedException {
        return new EdgeServer(LoadedConfig.of(config, Instant.now()), authoritativePorts, adminRoutes,
                Clock.systemUTC(), Transport.best());
    }

    /** Starts a gateway that exports a span per exchange to {@code spans}, as a test's in-memory exporter. */
    static EdgeServer start(GatewayConfig config, SpanExporter spans) throws InterruptedException {
        return new EdgeServer(LoadedConfig.of(config, Instant.now()), null, Map.of(),
                new GatewayAssembly(null, Clock.systemUTC(), spans), Transport.best());
    }

    /** Starts a gateway on a given transport: tests pass one whose origin sockets cannot leave loopback. */
    static EdgeServer start(GatewayConfig config, Transport transport) throws InterruptedException {
        return new EdgeServer(LoadedConfig.of(config, Instant.now()), null, Map.of(), Clock.systemUTC(), transport);
    }

    /**
     * Reads the config file again and, when all of it is valid, switches to it; see {@link #reload(LoadedConfig)}.
     *
     * @return the problems found (then nothing changed), empty when the new config is in use
     */
    public List<String> reload() {
        return reloads.fromFile();
    }

    /**
     * Switches to a validated config without dropping a connection: new requests use it, requests under way
     * finish on the one they started with. Every certificate, key and CA bundle is read and every moved
     * listener bound first; on any problem nothing changes. A listener whose address changed is replaced and the
     * old one drained; the cache and the resolver's cache are kept, except the stored responses of sites whose
     * cache settings changed.
     *
     * @return the problems found (then nothing changed), empty when the new config is in use
     */
    public List<String> reload(LoadedConfig next) {
        return reloads.apply(next);
    }

    /** Switches to a config as {@link #reload(LoadedConfig)} describes, returning the problems that prevented it. */
    synchronized List<String> switchTo(LoadedConfig next) {
        GatewayConfig config = next.config();
        Gateway running = gateway;
        if (running.draining().get()) {
            return List.of("server: stopping (expected: a running gateway to reload)");
        }
        List<String> problems = new ArrayList<>(RestartOnlyFields.changed(running.config(), config));
        problems.addAll(checkTlsMaterial(config));
        if (!problems.isEmpty()) {
            return problems;
        }
        EdgeTlsContexts nextCertificates = config.server().httpsPort() == null ? null : certificates(config);
        Gateway nextGateway = GatewayAssembly.reassemble(running, config);
        String bind = config.server().bindAddress();
        EdgeListener nextHttp = http;
        EdgeListener nextHttps = https;
        try {
            if (!http.serves(bind, config.server().httpPort())) {
                nextHttp = listen("server.httpPort", config, config.server().httpPort(), null);
            }
            if (nextCertificates != null && (https == null || !https.serves(bind, config.server().httpsPort()))) {
                nextHttps = listen("server.httpsPort", config, config.server().httpsPort(), currentCertificates);
            }
        } catch (ConfigException | InterruptedException e) {
            if (nextHttp != http) {
                nextHttp.stopAccepting();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return List.of("server: interrupted (expected: a reload left to finish)");
            }
            return ((ConfigException) e).problems();
        }
        certificates = nextCertificates;
        gateway = nextGateway;
        loaded = next;
        // The new sites' groups are checked from now on; a group kept across the reload keeps its health state.
        healthChecker.close();
        healthChecker = HealthChecker.start(nextGateway, workerGroup);
        retire(http, nextHttp);
        retire(https, nextCertificates == null ? null : nextHttps);
        http = nextHttp;
        https = nextCertificates == null ? null : nextHttps;
        for (String site : DroppedSiteCaches.of(running.config(), config)) {
            int dropped = running.cache().purge(site, null, "", true);
            LOG.info("config reload: site {} changed its cache settings, {} stored responses dropped", site, dropped);
        }
        return List.of();
    }

    private void retire(EdgeListener before, EdgeListener after) {
        if (before != null && before != after) {
            before.stopAccepting();
            retired.add(before);
            LOG.info("config reload: stopped listening on {}, its connections drain", before.localAddress());
        }
    }

    /** Returns the config in use: its digest, when it was loaded and from which file. */
    public LoadedConfig loaded() {
        return loaded;
    }

    /** Returns the gateway new requests use. */
    Gateway gateway() {
        return gateway;
    }

    /** Returns the port the HTTP listener is bound to. */
    public int httpPort() {
        return http.boundPort();
    }

    /** Returns the port the HTTPS listener is bound to, or -1 when there is none. */
    public int httpsPort() {
        EdgeListener listener = https;
        return listener == null ? -1 : listener.boundPort();
    }

    /** Returns the port the admin listener is bound to, or -1 when it is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** Returns the configuration this server runs. */
    public GatewayConfig config() {
        return gateway.config();
    }

    /** Stops accepting, drains in-flight requests within the configured drain timeout, and releases everything. */
    @Override
    public void close() {
        stop(gateway.config().server().drainTimeout());
    }

    /** Stops accepting, lets in-flight requests finish within the bound, then closes what remains. */
    public void stop(Duration drainTimeout) {
        List<EdgeListener> listeners;
        synchronized (this) {
            if (!gateway.draining().compareAndSet(false, true)) {
                return;
            }
            listeners = new ArrayList<>(retired);
            listeners.add(http);
            if (https != null) {
                listeners.add(https);
            }
        }
        http.stopAccepting();
        if (https != null) {
            https.stopAccepting();
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        for (EdgeListener listener : listeners) {
            ChannelGroup clients = listener.clients();
            while (!clients.isEmpty() && System.nanoTime() < deadline) {
                clients.newCloseFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        for (EdgeListener listener : listeners) {
            listener.clients().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // Each part is closed even when one before it fails: a part left running (an event loop, the admin
        // listener) would keep the process alive after a stop signal.
        closing("health checks", healthChecker::close);
        if (admin != null) {
            closing("admin listener", admin::close);
        }
        closing("acceptor threads", () -> bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        closing("event loops", () -> workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        closing("admin views", adminView::close);
        closing("gateway", gateway::close);
        LOG.info("telltale stopped");
    }

    private static void closing(String part, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("stopping: closing the {} failed; going on with the rest", part, e);
        }
    }
}
