package io.telltale.core.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.telltale.core.dns.OriginResolver;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.AddressOutcome;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import io.telltale.core.failure.RequestTimeline;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsStage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Gets a connection to an origin for one request: resolves its name, checks the address, takes a pooled
 * connection of the request's event loop or opens a new one on that loop, and completes TLS.
 *
 * <p>Every failure completes the promise with a {@link FailureException} already classified, and every step
 * is stamped on the request's {@link RequestTimeline}.
 */
public final class OriginConnector {
    private static final long PROBE_TIMEOUT_MILLIS = 1000;

    private final Class<? extends SocketChannel> channelType;
    private final OriginResolver resolver;
    private final OriginTlsContexts tls;
    private final LongSupplier nanoClock;
    private final int maxResponseHeaderSize;
    private final Map<EventLoop, OriginPool> pools = new ConcurrentHashMap<>();
    private final Map<Object, ConnectionBudget> budgets = new ConcurrentHashMap<>();
    private final PortProbes portProbes;
    private final Http2Connections http2 = new Http2Connections();

    /**
     * Creates a connector.
     *
     * @param channelType the socket channel class matching the event loops' transport
     * @param resolver resolves origin names
     * @param tls creates origin TLS handlers and names their failures
     * @param nanoClock the clock the timeline is stamped with
     * @param maxResponseHeaderSize the largest response header section accepted from an origin
     */
    public OriginConnector(Class<? extends SocketChannel> channelType, OriginResolver resolver,
            OriginTlsContexts tls, LongSupplier nanoClock, int maxResponseHeaderSize) {
        this.channelType = channelType;
        this.resolver = resolver;
        this.tls = tls;
        this.nanoClock = nanoClock;
        this.maxResponseHeaderSize = maxResponseHeaderSize;
        this.portProbes = new PortProbes(channelType, nanoClock, PROBE_TIMEOUT_MILLIS);
    }

    /**
     * Acquires a connection to the target on the given event loop.
     *
     * @param loop the client channel's event loop, on which the origin channel will run
     * @param target the origin, protocol, port and name
     * @param guard decides whether the resolved address may be connected to
     * @param timeline the request's timeline
     * @param allowPooled whether a pooled connection may be used (false when retrying after one failed)
     */
    public Future<OriginConnection> acquire(EventLoop loop, OriginTarget target, AddressGuard guard,
            RequestTimeline timeline, boolean allowPooled) {
        Promise<OriginConnection> promise = loop.newPromise();
        timeline.dnsStarted(nanoClock.getAsLong());
        CompletableFuture<ResolvedOrigin> resolved = resolver.resolve(target.origin().host());
        if (resolved.isDone() && loop.inEventLoop()) {
            onResolved(loop, resolved, target, guard, timeline, allowPooled, promise);
        } else {
            resolved.whenComplete((r, e) -> loop.execute(
                    () -> onResolved(loop, resolved, target, guard, timeline, allowPooled, promise)));
        }
        return promise;
    }

    /** Returns the resolver origin names are resolved with. */
    public OriginResolver resolver() {
        return resolver;
    }

    /** Returns the number of idle pooled connections across all event loops. */
    public int idleConnections() {
        int total = 0;
        for (OriginPool pool : pools.values()) {
            total += pool.size();
        }
        return total;
    }

    /** Returns the number of open origin connections across all origins. */
    public int openConnections() {
        int total = 0;
        for (ConnectionBudget budget : budgets.values()) {
            total += budget.open();
        }
        return total;
    }

    private void onResolved(EventLoop loop, CompletableFuture<ResolvedOrigin> resolved, OriginTarget target,
            AddressGuard guard, RequestTimeline timeline, boolean allowPooled, Promise<OriginConnection> promise) {
        ResolvedOrigin origin;
        try {
            origin = resolved.join();
        } catch (RuntimeException e) {
            promise.setFailure(unwrap(e));
            return;
        }
        timeline.dnsDone(nanoClock.getAsLong());
        if (origin.addresses().isEmpty()) {
            promise.setFailure(new IllegalStateException("resolver returned no addresses for " + origin.host()));
            return;
        }
        List<InetAddress> allowed = new ArrayList<>(origin.addresses().size());
        List<Failure> prohibited = new ArrayList<>();
        for (InetAddress address : AddressOrder.interleave(origin.addresses())) {
            Failure refused = guard.check(address, target);
            if (refused == null) {
                allowed.add(address);
            } else {
                prohibited.add(refused);
                long at = Math.max(0, (nanoClock.getAsLong() - timeline.startNanos()) / 1_000_000);
                timeline.addressTried(new AddressOutcome(address.getHostAddress(), AddressOutcome.Result.FAILED,
                        refused.code(), at, 0));
            }
        }
        if (allowed.isEmpty()) {
            promise.setFailure(prohibited.get(0).toException());
            return;
        }
        OriginPool pool = pools.computeIfAbsent(loop, OriginPool::new);
        if (target.http2() && allowPooled) {
            for (InetAddress address : allowed) {
                OriginKey key = key(address, target);
                Http2Session shared = http2.withRoom(loop, key);
                if (shared != null) {
                    timeline.reusedConnection();
                    http2.stream(shared, key, target, true, origin, promise,
                            () -> onResolved(loop, resolved, target, guard, timeline, true, promise));
                    return;
                }
            }
        } else if (allowPooled) {
            for (InetAddress address : allowed) {
                OriginKey key = key(address, target);
                Channel pooled = pool.poll(key);
                if (pooled != null) {
                    timeline.reusedConnection();
                    promise.setSuccess(new OriginConnection(pooled, key, pool, target, true, origin));
                    return;
                }
            }
        }
        // An HTTP/2 request that finds no room on the connection it waited for chooses again.
        Runnable again = () -> onResolved(loop, resolved, target, guard, timeline, true, promise);
        connect(loop, allowed, prohibited, pool, target, timeline, origin, promise, again);
    }

    private void connect(EventLoop loop, List<InetAddress> addresses, List<Failure> prohibited, OriginPool pool,
            OriginTarget target, RequestTimeline timeline, ResolvedOrigin resolved, Promise<OriginConnection> promise,
            Runnable again) {
        ConnectionBudget budget = budgets.computeIfAbsent(target.origin(),
                o -> new ConnectionBudget(target.origin().maxConnections()));
        if (budget.open() >= budget.max()) {
            promise.setFailure(connectionLimit(target, budget).toException());
            return;
        }
        long start = nanoClock.getAsLong();
        timeline.connectStarted(start);
        AddressRace.Finish finish = new AddressRace.Finish() {
            @Override
            public void won(int index, Channel channel, AddressRace.Tries tries) {
                timeline.connectDone(nanoClock.getAsLong());
                AddressFailures.recordWin(addresses, index, tries, timeline, (a, c) -> classify(a, c, target, budget));
                handshake(channel, key(addresses.get(index), target), pool, target, timeline, resolved, promise, again);
            }

            @Override
            public void lost(AddressRace.Tries tries) {
                timeline.connectFailed(nanoClock.getAsLong());
                AddressFailures failures = AddressFailures.of(addresses, prohibited, tries, timeline, target,
                        (a, c) -> classify(a, c, target, budget));
                Failure failure = failures.combined(resolved.evidence().get("resolver"));
                if (failures.sameCode()) {
                    failure = failure.withEvidence(Evidence.builder()
                            .put("addresses", failures.eachTried())
                            .put("addressFamilies", AddressOutcomes.families(resolved))
                            .put("addressQueries", resolved.evidence().get("addressQueries"))
                            .build());
                }
                if (resolved.stale()) {
                    // The addresses came from an expired answer: that may well be why they fail.
                    failure = failure.withEvidence(Evidence.builder().put("dns", resolved.evidence().get("stale")).build());
                }
                if (failures.sameCode() && failure.code().phase() == Phase.CONNECT
                        && failure.code() != FailureCode.ORIGIN_CONNECTION_LIMIT) {
                    probeOtherPort(loop, key(failures.firstTried(), target), target, failure, promise);
                } else {
                    promise.setFailure(failure.toException());
                }
            }
        };
        new AddressRace(loop, addresses, target.origin().connectionAttemptDelay().toNanos(),
                start + target.origin().connectTimeout().toNanos(), nanoClock,
                (address, timeoutMillis) -> dial(loop, key(address, target), pool, budget, target, timeoutMillis),
                finish).start();
    }

    private ChannelFuture dial(EventLoop loop, OriginKey key, OriginPool pool, ConnectionBudget budget,
            OriginTarget target, long timeoutMillis) {
        if (!budget.tryAcquire()) {
            return null;
        }
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(channelType)
                // Origin connections read all the time (an idle pooled one notices the origin closing it) and stop
                // only while a slow client holds the response back; toggling reads per request costs syscalls.
                .option(ChannelOption.AUTO_READ, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new OriginChannelInitializer(target, tls, maxResponseHeaderSize,
                        target.http2() ? http2.newSession(loop, key, target) : null))
                .connect(key.address());
        Channel channel = connect.channel();
        channel.closeFuture().addListener(f -> {
            budget.release();
            pool.evict(key, channel);
        });
        return connect;
    }

    private void handshake(Channel channel, OriginKey key, OriginPool pool, OriginTarget target,
            RequestTimeline timeline, ResolvedOrigin resolved, Promise<OriginConnection> promise, Runnable again) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            established(channel, key, pool, target, resolved, promise, again);
            return;
        }
        ssl.handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                timeline.tlsDone(nanoClock.getAsLong());
                established(channel, key, pool, target, resolved, promise, again);
            } else {
                Failure failure = tls.classify(ssl, h.cause(), TlsStage.HANDSHAKE)
                        .orElseGet(() -> FailureClassifier.classify(Phase.TLS, h.cause(), false, hop(target, key)));
                promise.setFailure(failure.withEvidence(Evidence.builder()
                        .put("origin.address", NetUtil.toAddressString(key.address().getAddress())).build()).toException());
                channel.close();
            }
        });
    }

    /** Lends a new connection whose TCP (and TLS) are up: whole for HTTP/1.1, one stream of it for HTTP/2. */
    private void established(Channel channel, OriginKey key, OriginPool pool, OriginTarget target,
            ResolvedOrigin resolved, Promise<OriginConnection> promise, Runnable again) {
        Http2Session session = channel.pipeline().get(Http2Session.class);
        if (session == null) {
            promise.setSuccess(new OriginConnection(channel, key, pool, target, false, resolved));
            return;
        }
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        // The JDK's own ALPN result: the context offers h2 through SSLParameters, not Netty's negotiator.
        String alpn = ssl == null ? null : ssl.engine().getApplicationProtocol();
        alpn = alpn == null || alpn.isEmpty() ? null : alpn;
        if (ssl != null && !"h2".equals(alpn)) {
            String chose = alpn == null ? "no protocol" : alpn;
            promise.setFailure(Http2Failures.notHttp2(hop(target, key), "The origin " + target.nextHop()
                    + " is configured as h2 but its TLS handshake (ALPN) chose " + chose + " instead of h2.",
                    "alpn", alpn == null ? "(none)" : alpn).toException());
            channel.close();
            return;
        }
        session.awaitSettings();
        http2.stream(session, key, target, false, resolved, promise, again);
    }

    private static Failure classify(InetAddress address, Throwable cause, OriginTarget target,
            ConnectionBudget budget) {
        if (cause instanceof AddressRace.ConnectionBudgetExhausted) {
            return connectionLimit(target, budget);
        }
        return FailureClassifier.classify(Phase.CONNECT, cause, false,
                new OriginHop(target.origin().host(), target.port(), address));
    }

    private static Failure connectionLimit(OriginTarget target, ConnectionBudget budget) {
        return Failure.of(FailureCode.ORIGIN_CONNECTION_LIMIT,
                "All " + budget.max() + " connections to the origin are in use.",
                Evidence.builder()
                        .put("origin", target.nextHop())
                        .put("maxConnections", budget.max())
                        .build());
    }

    private static OriginKey key(InetAddress address, OriginTarget target) {
        return new OriginKey(new InetSocketAddress(address, target.port()), target.tls(),
                target.tls() ? target.serverName() : null, target.tls() ? target.origin() : null);
    }

    /**
     * Completes a failed connect after checking whether the origin's other configured port accepts a
     * connection, which tells a wrong protocol policy or port from an origin that is down.
     */
    private void probeOtherPort(EventLoop loop, OriginKey key, OriginTarget target, Failure failure,
            Promise<OriginConnection> promise) {
        portProbes.explain(loop, key.address().getAddress(), target, failure)
                .whenComplete((explained, error) -> promise.setFailure((explained == null ? failure : explained).toException()));
    }

    /** Returns where a connection goes, as failures name it. */
    static OriginHop hop(OriginTarget target, OriginKey key) {
        return new OriginHop(target.origin().host(), target.port(), key.address().getAddress());
    }

    private static Throwable unwrap(RuntimeException e) {
        Throwable cause = e.getCause();
        return cause instanceof FailureException ? cause : (cause != null ? cause : e);
    }
}
