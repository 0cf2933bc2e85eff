package io.telltale.server;

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
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/** Builds the shared {@link Gateway} from a validated config: sites, router, resolver, TLS, connector, metrics. */
final class GatewayAssembly {
    private static final int JOURNAL_CAPACITY = 1024;

    private final Function<InetAddress, Integer> authoritativePorts;

    /** Creates an assembly whose delegation diagnosis asks authoritative servers on the configured port. */
    GatewayAssembly() {
        this(null);
    }

    /** Creates an assembly with a per-server authoritative port map (the lab runs them on high ports). */
    GatewayAssembly(Function<InetAddress, Integer> authoritativePorts) {
        this.authoritativePorts = authoritativePorts;
    }

    /** Returns a gateway for the config on the given transport; TLS material problems are config errors. */
    Gateway assemble(GatewayConfig config, Transport transport) {
        OriginTlsContexts originTls = originTls(config);
        List<Site> sites = new ArrayList<>();
        for (SiteConfig site : config.sites()) {
            sites.add(site(site));
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
        metrics.gauge("telltale_access_log_dropped", "Access log lines dropped because the writer fell behind",
                accessLog::dropped);
        return new Gateway(config, new SiteRouter(sites), connector, originTls, new FailureJournal(JOURNAL_CAPACITY),
                metrics, accessLog, System::nanoTime, System::currentTimeMillis,
                List.of(resolver, dnsThreads::shutdownNow, accessLog));
    }

    private static OriginTlsContexts originTls(GatewayConfig config) {
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

    private static Site site(SiteConfig site) {
        List<Predicate<InetAddress>> trusted = new ArrayList<>();
        for (String network : site.trustedNetworks()) {
            trusted.add(Cidr.parse(network)::contains);
        }
        ProhibitedAddresses prohibited = ProhibitedAddresses.allowingCidrs(site.allowedOriginNetworks());
        AddressGuard guard = (address, target) -> prohibited.check(target.origin().host(), address).orElse(null);
        EdgeRuleEngine rules = EdgeRuleEngine.of(site.rules());
        return new Site(site, guard, new ClientTrust(site.detail(), site.debugToken(), trusted), rules);
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
