package io.telltale.server.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.config.HealthCheckConfig;
import io.telltale.core.failure.AddressOutcome;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import io.telltale.core.failure.RequestTimeline;
import io.telltale.core.failure.ResponseFraming;
import io.telltale.core.origin.AddressGuard;
import io.telltale.core.origin.OriginConnection;
import io.telltale.core.origin.OriginConnector;
import io.telltale.core.origin.OriginExchangeListener;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsStage;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One health check of one origin: a GET of the check's path on a new connection from the gateway's own connector
 * (its resolver, address rules, Happy Eyeballs and TLS verification), its failures named by the same classifiers
 * as a request's. Runs on one event loop; the connection is closed once the response head arrives.
 */
final class HealthProbe implements OriginExchangeListener {
    private static final String USER_AGENT = "telltale-health-check";

    private final OriginTarget target;
    private final HealthCheckConfig config;
    private final OriginTlsContexts tls;
    private final LongSupplier nanoClock;
    private final RequestTimeline timeline;
    private final long startNanos;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private OriginConnection connection;
    private ScheduledFuture<?> deadline;
    private long certificateNotAfter;

    private HealthProbe(OriginTarget target, HealthCheckConfig config, OriginTlsContexts tls, LongSupplier nanoClock) {
        this.target = target;
        this.config = config;
        this.tls = tls;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.timeline = new RequestTimeline(startNanos);
    }

    /**
     * Checks the origin once; the result completes on the loop and never exceptionally.
     *
     * @param connector the gateway's origin connector
     * @param loop the event loop the check runs on
     * @param target the origin, protocol, port and name checked
     * @param guard the site's address rules
     * @param config the group's health check
     * @param tls names TLS failures that show on the first read
     * @param nanoClock the connector's clock
     */
    static CompletableFuture<CheckResult> check(OriginConnector connector, EventLoop loop, OriginTarget target,
            AddressGuard guard, HealthCheckConfig config, OriginTlsContexts tls, LongSupplier nanoClock) {
        HealthProbe probe = new HealthProbe(target, config, tls, nanoClock);
        loop.execute(() -> probe.start(connector, loop, guard));
        return probe.result;
    }

    private void start(OriginConnector connector, EventLoop loop, AddressGuard guard) {
        deadline = loop.schedule(this::timedOut, config.timeout().toNanos(), TimeUnit.NANOSECONDS);
        Future<OriginConnection> acquired = connector.acquire(loop, target, guard, timeline, false);
        acquired.addListener(f -> onAcquired(acquired));
    }

    private void onAcquired(Future<OriginConnection> acquired) {
        if (result.isDone()) {
            if (acquired.isSuccess()) {
                acquired.getNow().close();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            Throwable cause = acquired.cause();
            fail(cause instanceof FailureException fe ? fe.failure() : FailureClassifier.classify(Phase.CONNECT, cause,
                    false, new OriginHop(target.origin().host(), target.port(), null)));
            return;
        }
        connection = acquired.getNow();
        certificateNotAfter = notAfter(connection.sslHandler());
        connection.attach(this);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                config.path(), Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, target.hostHeader(target.serverName()))
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        connection.channel().writeAndFlush(request);
    }

    @Override
    public void onResponseObject(HttpObject message) {
        try {
            if (result.isDone() || !(message instanceof HttpResponse response)) {
                return;
            }
            if (!response.decoderResult().isSuccess()) {
                fail(ResponseFraming.rejectedHead(response.headers(), response.decoderResult().cause(), connection.hop()));
                return;
            }
            int status = response.status().code();
            if (status < 200) {
                return;
            }
            boolean expected = config.expectedStatuses().contains(status);
            String detail = "The origin " + target.nextHop() + " answered " + response.status() + " to GET "
                    + config.path() + (expected ? "." : "; the check expects " + config.expectedStatuses() + ".");
            end(new CheckResult(expected, "HTTP " + status, detail, millis(), certificateNotAfter, refusing(), List.of()));
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void onOriginFailure(Throwable cause) {
        if (result.isDone()) {
            return;
        }
        if (cause instanceof FailureException fe) {
            fail(fe.failure());
            return;
        }
        SslHandler ssl = connection.sslHandler();
        Failure late = ssl == null ? null : tls.classify(ssl, cause, TlsStage.FIRST_READ).orElse(null);
        fail(late != null ? late : FailureClassifier.classify(Phase.RESPONSE, cause, false, connection.hop()));
    }

    private void timedOut() {
        if (result.isDone()) {
            return;
        }
        FailureCode code = connection == null ? FailureCode.ORIGIN_CONNECT_TIMEOUT : FailureCode.ORIGIN_RESPONSE_TIMEOUT;
        fail(Failure.of(code, "The health check of " + target.nextHop() + " took longer than its timeout of "
                + config.timeout().toMillis() + " ms " + (connection == null ? "connecting." : "waiting for the response."),
                null));
    }

    private void fail(Failure failure) {
        end(new CheckResult(false, failure.code().code(), failure.detail(), millis(), certificateNotAfter, refusing(), List.of()));
    }

    private void end(CheckResult checked) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (connection != null) {
            connection.close();
        }
        result.complete(checked);
    }

    private long millis() {
        return Math.max(0, (nanoClock.getAsLong() - startNanos) / 1_000_000);
    }

    private List<String> refusing() {
        List<String> failed = new ArrayList<>();
        for (AddressOutcome outcome : timeline.addresses()) {
            if (outcome.result() == AddressOutcome.Result.FAILED) {
                failed.add(outcome.address() + " " + outcome.code().code());
            }
        }
        return failed;
    }

    private static long notAfter(SslHandler ssl) {
        if (ssl == null) {
            return 0;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf.getNotAfter().getTime() : 0;
        } catch (SSLPeerUnverifiedException e) {
            return 0;
        }
    }
}
