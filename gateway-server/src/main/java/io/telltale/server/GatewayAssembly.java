package io.telltale.server;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.telltale.core.cache.EdgeCache;
import io.telltale.core.cache.SiteCache;
import io.telltale.core.config.Cidr;
import io.telltale.core.config.ConfigException;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.failure.FailureJournal;
import io.telltale.core.origin.AddressGuard;
import io.telltale.core.origin.OriginConnector;
import io.telltale.core.rules.EdgeRuleEngine;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import io.telltale.server.balance.OriginGroup;
import io.telltale.server.cluster.ClusterRole;
import io.telltale.server.edge.Transport;
import io.telltale.server.health.HealthMetrics;
import io.telltale.server.observe.AccessLog;
import io.telltale.server.observe.GatewayMetrics;
import io.telltale.server.proxy.ClientTrust;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.ResponseBuffers;
import io.telltale.server.proxy.Site;
import io.telltale.server.proxy.SiteRouter;
import io.telltale.server.trace.ExchangeSpans;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** Builds the shared {@link Gateway} from a validated config: sites, router, resolver, TLS, connector, metrics. */
public final class GatewayAssembly {
    private static final int JOURNAL_CAPACITY = 1024;

    private final Function<InetAddress, Integer> authoritativePorts;
    private final Clock cacheClock;
    private final SpanExporter spanExporter;

    /** Creates an assembly with a per-server authoritative port map (the lab's), or null for the configured port. */
    public GatewayAssembly(Function<InetAddress, Integer> authoritativePorts) {
        this(authoritativePorts, Clock.systemUTC());
    }

    /** Creates an assembly whose cache judges freshness, errors and probes by {@code cacheClock}. */
    public GatewayAssembly(Function<InetAddress, Integer> authoritativePorts, Clock cacheClock) {
        this(authoritativePorts, cacheClock, null);
    }

    /** Creates an assembly whose gateway exports its spans to {@code spanExporter} (a test's), whatever the config says. */
    GatewayAssembly(Function<InetAddress, Integer> authoritativePorts, Clock cacheClock, SpanExporter spanExporter) {
        this.authoritativePorts = authoritativePorts;
        this.cacheClock = cacheClock;
        this.spanExporter = spanExporter;
    }

    /** Returns a gateway for the config on the given transport; TLS material problems are config errors. */
    public Gateway assemble(GatewayConfig config, Transport transport) {
        OriginTlsContexts originTls = originTls(config);
        EdgeCache cache = new EdgeCache(config.cache(), cacheClock);
        List<Site> sites = new ArrayList<>();
        for (SiteConfig site : config.sites()) {
            sites.add(site(site, cache, OriginGroup.of(site)));
        }
        ExecutorService dnsThreads = Executors.newFixedThreadPool(2, daemonThreads("telltale-dns-"));
        DnsjavaOriginResolver resolver = authoritativePorts == null
                ? new DnsjavaOriginResolver(config.dns(), System::nanoTime, dnsThreads)
                : new DnsjavaOriginResolver(config.dns(), System::nanoTime, dnsThreads, authoritativePorts);
        OriginConnector connector = new OriginConnector(transport.clientChannel(), resolver, originTls,
                System::nanoTime, config.limits().maxResponseHeaderSize().toIntBytes());
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.gauge("telltale_origin_connections", "Open origin connections", connector::openConnections);
        metrics.gauge("telltale_origin_pool_idle", "Idle pooled origin connections", connector::idleConnections);
        AccessLog accessLog = new AccessLog();
        accessLog.format(config.observe().accessLogFormat());
        metrics.gauge("telltale_access_log_dropped", "Access log lines dropped because the writer fell behind",
                accessLog::dropped);
        cacheGauges(metrics, cache);
        ejectionCounts(metrics, sites);
        HealthMetrics.register(metrics, sites, System::currentTimeMillis);
        ResponseBuffers buffers = new ResponseBuffers(config.limits().responseBuffer().bytes(),
                config.limits().responseBufferTotal().bytes());
        metrics.gauge("telltale_response_buffer_free_bytes", "Bytes still free for holding responses to slow clients",
                buffers::left);
        ExchangeSpans spans = spanExporter != null ? new ExchangeSpans(spanExporter, "telltale")
                : ExchangeSpans.of(config.observe().otlp());
        ClusterRole cluster = ClusterRole.start(config, resolver, cache, System::nanoTime);
        List<AutoCloseable> resources = new ArrayList<>();
        if (cluster != null) {
            resources.add(cluster);
        }
        resources.addAll(List.of(resolver, dnsThreads::shutdownNow, accessLog, cache));
        if (spans != null) {
            resources.add(spans);
        }
        return new Gateway(config, new SiteRouter(sites), connector, originTls, cache,
                new FailureJournal(JOURNAL_CAPACITY), metrics, accessLog, System::nanoTime, System::currentTimeMillis,
                buffers, List.copyOf(resources), new AtomicBoolean(), spans, cluster);
    }

    /**
     * Returns a gateway for a reloaded config that shares everything long-lived with the running one: the origin
     * connector and its pools, the resolver and its cache, the edge cache, journal, metrics and access log. Each
     * site is derived afresh, keeping its origin group (and what outlier detection learned) while its origins
     * and group settings stay as they were.
     */
    static Gateway reassemble(Gateway running, GatewayConfig config) {
        Map<String, Site> before = new HashMap<>();
        for (SiteConfig site : running.config().sites()) {
            before.put(site.name(), running.router().site(site.name()));
        }
        List<Site> sites = new ArrayList<>();
        List<Site> regrouped = new ArrayList<>();
        for (SiteConfig next : config.sites()) {
            Site old = before.get(next.name());
            boolean sameGroup = old != null && old.config().origins().equals(next.origins())
                    && Objects.equals(old.config().originGroup(), next.originGroup());
            Site site = site(next, running.cache(), sameGroup ? old.group() : OriginGroup.of(next));
            sites.add(site);
            if (!sameGroup) {
                if (old != null) {
                    running.metrics().removeOriginCounts(old.config().name());
                }
                regrouped.add(site);
            }
        }
        for (String gone : before.keySet()) {
            if (sites.stream().noneMatch(site -> site.config().name().equals(gone))) {
                running.metrics().removeOriginCounts(gone);
            }
        }
        ejectionCounts(running.metrics(), regrouped);
        running.accessLog().format(config.observe().accessLogFormat());
        return new Gateway(config, new SiteRouter(sites), running.connector(), running.originTls(), running.cache(),
                running.journal(), running.metrics(), running.accessLog(), running.nanoClock(), running.epochClock(),
                running.responseBuffers(), running.resources(), running.draining(), running.spans(), running.cluster());
    }

    /** Returns the origin TLS contexts, every CA bundle read; problems name the origin's field. */
    static OriginTlsContexts originTls(GatewayConfig config) {
        OriginTlsContexts tls = new OriginTlsContexts(Clock.systemUTC());
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < config.sites().size(); s++) {
            List<OriginConfig> origins = config.sites().get(s).origins();
            for (int o = 0; o < origins.size(); o++) {
                if (origins.get(o).protocol() == OriginProtocol.HTTP_ONLY) {
                    continue;
                }
                try {
                    tls.context(origins.get(o));
                } catch (TlsConfigException e) {
                    for (String problem : e.problems()) {
                        problems.add("sites[" + s + "].origins[" + o + "]." + problem);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return tls;
    }

    private static void cacheGauges(GatewayMetrics metrics, EdgeCache cache) {
        metrics.gauge("telltale_cache_hits", "Requests answered from the cache", () -> cache.stats().hits());
        metrics.gauge("telltale_cache_misses", "Requests the cache sent to the origin", () -> cache.stats().misses());
        metrics.gauge("telltale_cache_stale_served", "Stale objects served", () -> cache.stats().staleServed());
        metrics.gauge("telltale_cache_refresh_hits", "Stale objects revalidated with a 304",
                () -> cache.stats().refreshHits());
        metrics.gauge("telltale_cache_collapsed", "Requests that waited for another's miss", () -> cache.stats().collapsed());
        metrics.gauge("telltale_cache_stores", "Objects stored", () -> cache.stats().stores());
        metrics.gauge("telltale_cache_evictions", "Objects evicted", () -> cache.stats().evictions());
        metrics.gauge("telltale_cache_bytes", "Bytes the memory tier counts: buffers as allocated and entry overhead",
                () -> cache.stats().weightedSize());
        metrics.gauge("telltale_cache_entries", "Entries in the memory tier", () -> cache.stats().entries());
        metrics.gauge("telltale_cache_memory_bytes", "Bytes the memory tier counts against cache.maxSize",
                () -> cache.stats().weightedSize());
        metrics.gauge("telltale_cache_memory_objects", "Responses in the memory tier", () -> cache.stats().memoryObjects());
        metrics.gauge("telltale_cache_memory_max_bytes", "The memory tier's bound, cache.maxSize",
                () -> cache.stats().memoryMaxBytes());
        metrics.gauge("telltale_cache_disk_bytes", "Bytes of object files in the disk tier", () -> cache.stats().disk().bytes());
        metrics.gauge("telltale_cache_disk_objects", "Objects in the disk tier", () -> cache.stats().disk().objects());
        metrics.gauge("telltale_cache_disk_max_bytes", "The disk tier's bound, cache.disk.maxSize",
                () -> cache.stats().disk().maxBytes());
        metrics.gauge("telltale_cache_disk_hits", "Responses sent from an object file", () -> cache.stats().disk().hits());
        metrics.gauge("telltale_cache_disk_errors", "Disk tier I/O errors: objects not written or not read back",
                () -> cache.stats().disk().writeErrors());
        metrics.gauge("telltale_cache_disk_dropped", "Object files found corrupt or truncated at start and removed",
                () -> cache.stats().disk().dropped());
        metrics.gauge("telltale_cache_disk_load_milliseconds", "How long reading the disk tier's index at start took",
                () -> cache.stats().disk().loadMillis());
    }

    private static void ejectionCounts(GatewayMetrics metrics, List<Site> sites) {
        for (Site site : sites) {
            OriginGroup group = site.group();
            if (!group.detectsOutliers()) {
                continue;
            }
            List<OriginConfig> origins = site.config().origins();
            for (int i = 0; i < origins.size(); i++) {
                int origin = i;
                metrics.originCount("telltale_origin_ejections", "Times passive outlier detection ejected the origin",
                        site.config().name(), origins.get(i).host() + ":" + origins.get(i).httpPort(), group,
                        g -> g.ejections(origin));
            }
        }
    }

    private static Site site(SiteConfig site, EdgeCache cache, OriginGroup group) {
        List<Predicate<InetAddress>> trusted = new ArrayList<>();
        for (String network : site.trustedNetworks()) {
            trusted.add(Cidr.parse(network)::contains);
        }
        ProhibitedAddresses prohibited = ProhibitedAddresses.allowingCidrs(site.allowedOriginNetworks());
        AddressGuard guard = AddressGuard.prohibiting(prohibited);
        EdgeRuleEngine rules = EdgeRuleEngine.of(site.rules());
        SiteCache siteCache = site.cache().enabled() ? cache.site(site.name(), site.cache()) : null;
        return new Site(site, guard, new ClientTrust(site.detail(), site.debugToken(), trusted), rules, siteCache, group);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
