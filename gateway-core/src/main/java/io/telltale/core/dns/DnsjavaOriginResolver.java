package io.telltale.core.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.netty.util.NetUtil;
import io.telltale.core.config.DnsConfig;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves origin names with dnsjava over the configured resolvers: A and AAAA in parallel, one family's
 * addresses used alone when the other has not answered within the resolution delay (RFC 8305), CNAME
 * chains followed, answers cached by clamped TTL, negative answers cached for the SOA's time (RFC 2308), one query in
 * flight per name, stale answers served when every resolver fails (RFC 8767), and every failure
 * explained, with a delegation diagnosis when the resolvers cannot get an answer.
 */
public final class DnsjavaOriginResolver implements OriginResolver {
    /** How long a resolver failure (SERVFAIL, REFUSED, timeout) is remembered, as RFC 9520 asks. */
    static final Duration FAILURE_CACHE = Duration.ofSeconds(5);

    private record Answer(ResolvedOrigin origin, long expiresNanos) {
    }

    private record Negative(Failure failure, long expiresNanos, boolean resolverFailure, String host) {
    }

    private final DnsConfig config;
    private final LongSupplier nanoTime;
    private final List<DnsServerAddress> servers;
    private final NameLookup lookup;
    private final DelegationDiagnoser diagnoser;
    private final Cache<String, Answer> answers;
    private final Cache<String, Negative> failures;
    private final Map<String, CompletableFuture<ResolvedOrigin>> inFlight = new ConcurrentHashMap<>();
    /** IP-literal origins answer the same every time: parsed once, not on every request. */
    private final Map<String, CompletableFuture<ResolvedOrigin>> literals = new ConcurrentHashMap<>();

    /** Creates a resolver whose delegation diagnosis asks authoritative servers at {@code config.authoritativePort()}. */
    public DnsjavaOriginResolver(DnsConfig config, LongSupplier nanoTime, Executor executor) {
        this(config, nanoTime, executor, address -> config.authoritativePort());
    }

    /**
     * Creates a resolver; {@code authoritativePorts} maps an authoritative server's address to the port the
     * diagnosis asks it on (lab and tests run them on loopback high ports). A {@code diagnosisBudget} of
     * zero turns the diagnosis off.
     */
    public DnsjavaOriginResolver(DnsConfig config, LongSupplier nanoTime, Executor executor,
            Function<InetAddress, Integer> authoritativePorts) {
        this.config = config;
        this.nanoTime = nanoTime;
        this.servers = config.resolvers() == null ? List.of()
                : config.resolvers().stream().map(DnsServerAddress::parse).toList();
        DnsExchange exchange = new DnsExchange(executor);
        this.lookup = new NameLookup(exchange, servers, config.queryTimeout(), Math.max(1, config.attempts()),
                config.resolutionDelay());
        this.diagnoser = config.diagnosisBudget().isZero() || servers.isEmpty() ? null
                : new DelegationDiagnoser(exchange, config, nanoTime, authoritativePorts);
        long stale = config.staleWindow().toNanos();
        this.answers = Caffeine.newBuilder()
                .maximumSize(Math.max(1, config.cacheSize()))
                .ticker(nanoTime::getAsLong)
                .expireAfter(Expiry.creating((String k, Answer v) ->
                        Duration.ofNanos(Math.max(0, v.expiresNanos() - nanoTime.getAsLong()) + stale)))
                .build();
        this.failures = Caffeine.newBuilder()
                .maximumSize(Math.max(1, config.cacheSize()))
                .ticker(nanoTime::getAsLong)
                .expireAfter(Expiry.creating((String k, Negative v) ->
                        Duration.ofNanos(Math.max(0, v.expiresNanos() - nanoTime.getAsLong()))))
                .build();
    }

    @Override
    public CompletableFuture<ResolvedOrigin> resolve(String host) {
        CompletableFuture<ResolvedOrigin> known = literals.get(host);
        if (known != null) {
            return known;
        }
        InetAddress literal = literal(host);
        if (literal != null) {
            Evidence evidence = Evidence.builder().put("query", "none: " + host + " is an IP literal").build();
            CompletableFuture<ResolvedOrigin> answer = CompletableFuture.completedFuture(
                    new ResolvedOrigin(host, List.of(literal), List.of(), config.maxTtl(), false, evidence));
            literals.putIfAbsent(host, answer);
            return answer;
        }
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(DnsFailures.failure(new DnsProblem(DnsProblem.Cause.NO_RESOLVERS,
                    key(host), 0, null, List.of(), null, null)).toException());
        }
        String key = key(host);
        CompletableFuture<ResolvedOrigin> cached = fromCache(key);
        if (cached != null) {
            return cached;
        }
        CompletableFuture<ResolvedOrigin> promise = new CompletableFuture<>();
        CompletableFuture<ResolvedOrigin> running = inFlight.putIfAbsent(key, promise);
        if (running != null) {
            return running.copy();
        }
        // Another lookup may have finished between the cache check and taking the in-flight slot.
        cached = fromCache(key);
        if (cached != null) {
            inFlight.remove(key, promise);
            cached.whenComplete((r, e) -> complete(promise, r, e));
            return promise.copy();
        }
        start(key, promise);
        return promise.copy();
    }

    /** Returns the delegation diagnoser, empty when the diagnosis is turned off. */
    @Override
    public Optional<DelegationDiagnoser> diagnoser() {
        return Optional.ofNullable(diagnoser);
    }

    @Override
    public void close() {
        if (diagnoser != null) {
            diagnoser.close();
        }
    }

    private CompletableFuture<ResolvedOrigin> fromCache(String key) {
        long now = nanoTime.getAsLong();
        Answer answer = answers.getIfPresent(key);
        if (answer != null && now - answer.expiresNanos() < 0) {
            return CompletableFuture.completedFuture(answer.origin());
        }
        Negative negative = failures.getIfPresent(key);
        if (negative == null || now - negative.expiresNanos() >= 0) {
            return null;
        }
        if (negative.resolverFailure() && servable(answer, now)) {
            return CompletableFuture.completedFuture(stale(answer, negative.failure(), now));
        }
        long left = TimeUnit.NANOSECONDS.toSeconds(negative.expiresNanos() - now + 999_999_999);
        Failure failure = negative.failure().withEvidence(Evidence.builder()
                .put("negativeCache", "negatively cached, " + left + " s left").build());
        if (diagnoser != null) {
            Failure plain = failure;
            failure = diagnoser.latest(negative.host()).map(r -> DnsFailures.withDiagnosis(plain, r)).orElse(plain);
        }
        return CompletableFuture.failedFuture(failure.toException());
    }

    private void start(String key, CompletableFuture<ResolvedOrigin> promise) {
        Name name;
        try {
            name = Name.fromString(key + ".");
        } catch (TextParseException e) {
            finish(key, promise, null, DnsFailures.failure(new DnsProblem(DnsProblem.Cause.INVALID_NAME, key, 0, null,
                    List.of(), null, null)));
            return;
        }
        lookup.lookup(key, name).whenComplete((result, error) -> {
            if (error != null) {
                inFlight.remove(key, promise);
                promise.completeExceptionally(error);
            } else if (result.problem() == null) {
                finish(key, promise, found(key, result), null);
            } else {
                failed(key, promise, result.problem(), result.families());
            }
        });
    }

    private ResolvedOrigin found(String key, NameLookup.Result result) {
        Answer answer = answer(key, result);
        answers.put(key, answer);
        failures.invalidate(key);
        if (result.complete() != null) {
            // A partial answer is kept only FAILURE_CACHE; the straggler's answer, when it comes, replaces it whole.
            result.complete().thenAccept(whole -> {
                if (whole != null && whole.problem() == null && answers.asMap().remove(key, answer)) {
                    answers.put(key, answer(key, whole));
                }
            });
        }
        return answer.origin();
    }

    private Answer answer(String key, NameLookup.Result result) {
        long dnsTtl = result.ttlSeconds();
        Duration ttl = clamp(Duration.ofSeconds(dnsTtl));
        DnsAttempt last = result.attempts().get(result.attempts().size() - 1);
        Evidence.Builder evidence = Evidence.builder()
                .put("resolver", last.server().label())
                .put("answeredInMs", result.elapsedMs())
                .put("queries", result.attempts().stream().map(DnsAttempt::toFacts).toList())
                .put("ttlFromDnsSeconds", dnsTtl)
                .put("ttlSeconds", ttl.toSeconds())
                .put("addressQueries", result.families().lines())
                .put("addressFamilies", result.families().sentence());
        Duration keep = ttl;
        if (result.missingType() != 0) {
            String missing = Type.string(result.missingType());
            String answered = result.missingType() == Type.A ? "AAAA" : "A";
            keep = min(ttl, FAILURE_CACHE);
            evidence.put("resolutionDelay", missing + " did not answer within " + config.resolutionDelay().toMillis()
                    + " ms of " + answered + " (RFC 8305 resolution delay): served the " + answered
                    + " addresses alone, cached for " + keep.toSeconds() + " s unless " + missing + " answers");
        }
        ResolvedOrigin origin = new ResolvedOrigin(key, result.addresses(), result.chain(), ttl, false, evidence.build());
        return new Answer(origin, nanoTime.getAsLong() + keep.toNanos());
    }

    private void failed(String key, CompletableFuture<ResolvedOrigin> promise, DnsProblem problem, AddressFamilies families) {
        Failure failure = DnsFailures.withFamilies(DnsFailures.failure(problem), families);
        long now = nanoTime.getAsLong();
        DnsProblem.Cause cause = problem.cause();
        Duration keep = cause.negative() && problem.soa() != null
                ? min(Duration.ofSeconds(problem.negativeTtlSeconds()), config.maxTtl()) : FAILURE_CACHE;
        if (cause.negative()) {
            failure = failure.withEvidence(Evidence.builder()
                    .put("negativeCache", "negatively cached for " + keep.toSeconds() + " s (RFC 2308: min(SOA TTL, SOA minimum))")
                    .build());
            answers.invalidate(key);
        }
        failures.put(key, new Negative(failure, now + keep.toNanos(), cause.resolverFailure(), key));
        Answer previous = answers.getIfPresent(key);
        if (cause.resolverFailure() && servable(previous, now)) {
            if (diagnoser != null) {
                diagnoser.diagnose(key);
            }
            finish(key, promise, stale(previous, failure, now), null);
            return;
        }
        if (diagnoser == null || !cause.diagnosable()) {
            finish(key, promise, null, failure);
            return;
        }
        Failure base = failure;
        Duration budget = diagnoser.budget();
        diagnoser.diagnose(key).copy()
                .completeOnTimeout(null, budget.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((report, error) -> finish(key, promise, null, report != null ? DnsFailures.withDiagnosis(base, report)
                        : base.withEvidence(Evidence.builder().put("delegationDiagnosis", "still running after "
                                + budget.toMillis() + " ms; its findings are kept for the diagnose view").build())));
    }

    private void finish(String key, CompletableFuture<ResolvedOrigin> promise, ResolvedOrigin origin, Failure failure) {
        inFlight.remove(key, promise);
        if (failure != null) {
            promise.completeExceptionally(failure.toException());
        } else {
            promise.complete(origin);
        }
    }

    private boolean servable(Answer answer, long now) {
        return answer != null && now - answer.expiresNanos() < config.staleWindow().toNanos();
    }

    private static ResolvedOrigin stale(Answer answer, Failure cause, long now) {
        ResolvedOrigin o = answer.origin();
        Evidence evidence = o.evidence().with(Evidence.builder()
                .put("stale", "served stale (RFC 8767): expired " + TimeUnit.NANOSECONDS.toSeconds(now - answer.expiresNanos())
                        + " s ago and every resolver failed")
                .put("staleBecause", cause.detail())
                .put("staleFailure", cause.evidence().facts())
                .build());
        return new ResolvedOrigin(o.host(), o.addresses(), o.cnameChain(), o.ttl(), true, evidence);
    }

    private static void complete(CompletableFuture<ResolvedOrigin> promise, ResolvedOrigin r, Throwable e) {
        if (e != null) {
            promise.completeExceptionally(e);
        } else {
            promise.complete(r);
        }
    }

    private Duration clamp(Duration ttl) {
        if (ttl.compareTo(config.minTtl()) < 0) {
            return config.minTtl();
        }
        return min(ttl, config.maxTtl());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Returns the cache key of a host: lower case, without the trailing dot. */
    static String key(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (int i = 0; i < h.length(); i++) {
            if (Character.isUpperCase(h.charAt(i))) {
                return h.toLowerCase(Locale.ROOT);
            }
        }
        return h;
    }

    private static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
        return bytes == null ? null : DnsServerAddress.address(bytes);
    }
}
