package io.telltale.core.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.telltale.core.config.DnsConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.xbill.DNS.Name;

/**
 * Diagnoses a name's delegation: finds the zone apex, asks each authoritative server directly with
 * recursion off, compares the parent's referral with the child's answers, and reports lame servers,
 * timeouts, SOA serial and NS set mismatches, missing glue, bad NS names and DNSSEC bogus answers.
 *
 * <p>It runs at most once per name per {@code diagnosisInterval}, on its own threads, never on the
 * caller's, and never contacts a root server: it walks up only as far as the top-level domain. When the
 * name's zone is healthy and the name is an alias, it follows the CNAME chain to the zone that is not.
 */
public final class DelegationDiagnoser implements AutoCloseable {
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(400);
    /** The least time a diagnosis may run, so that a short caller budget still yields findings for later. */
    static final Duration MIN_RUN = Duration.ofSeconds(2);

    private final DnsExchange exchange;
    private final NameLookup resolvers;
    private final Function<InetAddress, Integer> authoritativePorts;
    private final Duration budget;
    private final Duration runTime;
    private final ExecutorService threads;
    private final Cache<String, CompletableFuture<DelegationReport>> running;
    private final Cache<String, DelegationReport> latest;

    /**
     * Creates a diagnoser that asks the configured resolvers and reaches authoritative servers at the
     * port the mapping gives for their address ({@code a -> config.authoritativePort()} in production).
     */
    public DelegationDiagnoser(DnsConfig config, LongSupplier nanoTime, Executor executor,
            Function<InetAddress, Integer> authoritativePorts) {
        this(new DnsExchange(executor), config, nanoTime, authoritativePorts);
    }

    DelegationDiagnoser(DnsExchange exchange, DnsConfig config, LongSupplier nanoTime,
            Function<InetAddress, Integer> authoritativePorts) {
        this.exchange = exchange;
        List<DnsServerAddress> servers = config.resolvers().stream().map(DnsServerAddress::parse).toList();
        Duration probe = config.queryTimeout().compareTo(PROBE_TIMEOUT) < 0 ? config.queryTimeout() : PROBE_TIMEOUT;
        this.resolvers = new NameLookup(exchange, servers, probe, 1, config.resolutionDelay());
        this.authoritativePorts = authoritativePorts;
        this.budget = config.diagnosisBudget();
        this.runTime = budget.compareTo(MIN_RUN) < 0 ? MIN_RUN : budget;
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "telltale-dns-diagnosis");
            t.setDaemon(true);
            return t;
        });
        this.running = Caffeine.newBuilder()
                .ticker(nanoTime::getAsLong)
                .expireAfterWrite(config.diagnosisInterval())
                .maximumSize(Math.max(1, config.cacheSize()))
                .build();
        this.latest = Caffeine.newBuilder().maximumSize(Math.max(1, config.cacheSize())).build();
    }

    /**
     * Starts a diagnosis of the name, or returns the one started less than {@code diagnosisInterval} ago.
     * The report says {@code complete=false} when the budget ran out first.
     */
    public CompletableFuture<DelegationReport> diagnose(String host) {
        String key = DnsjavaOriginResolver.key(host);
        return running.get(key, k -> CompletableFuture
                .supplyAsync(() -> AliasChainDiagnosis.run(k, exchange, resolvers, authoritativePorts, runTime), threads)
                .whenComplete((report, error) -> {
                    if (report != null) {
                        latest.put(k, report);
                    }
                }));
    }

    /** Returns the most recent finished diagnosis of the name, if any. */
    public Optional<DelegationReport> latest(String host) {
        return Optional.ofNullable(latest.getIfPresent(DnsjavaOriginResolver.key(host)));
    }

    /** Returns the time a caller may wait for a diagnosis; the diagnosis itself may run up to {@code max(budget, 2 s)}. */
    public Duration budget() {
        return budget;
    }

    /** Stops the diagnosis threads. */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    static Name absolute(String host) {
        try {
            return Name.fromString(host.endsWith(".") ? host : host + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("host: " + host + " (expected: a DNS name)", e);
        }
    }
}
