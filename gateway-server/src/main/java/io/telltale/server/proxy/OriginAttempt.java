package io.telltale.server.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import io.telltale.core.failure.PortLanguage;
import io.telltale.core.failure.RequestTimeline;
import io.telltale.core.failure.ResponseFraming;
import io.telltale.core.origin.AddressGuard;
import io.telltale.core.origin.OriginConnection;
import io.telltale.core.origin.OriginExchangeListener;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.tls.TlsStage;
import java.util.concurrent.TimeUnit;

/**
 * One try at an origin: it owns one origin connection, sends one request on it and reports the response and
 * its outcome, stamped on its own timeline. A retry or a failover is a new attempt.
 *
 * <p>An attempt reports to its listener only while it is current: {@link #abandon} cuts it off, so nothing it
 * hears afterwards can reach the client.
 */
final class OriginAttempt implements OriginExchangeListener {
    private final Gateway gateway;
    private final ProxyExchange exchange;
    private final OriginTarget target;
    private final HttpRequest request;
    private final RequestTimeline timeline;
    private final boolean fresh;
    private final long startNanos;
    private AttemptListener listener;
    private OriginConnection connection;
    private boolean requestSent;
    private boolean finalHead;
    private String interim;
    /** Some of the final response's body was handed on, so the client has seen the response begin. */
    private boolean bodyDelivered;
    private boolean reusable = true;
    private boolean waitingForClient;
    private Runnable onEnd;
    private ScheduledFuture<?> deadline;

    /**
     * Creates an attempt.
     *
     * @param gateway what every attempt shares
     * @param exchange the exchange this attempt tries to answer
     * @param target the origin, protocol, port and name to try
     * @param request the request head to send, its Host set for the target
     * @param fresh whether a new connection must be opened instead of a pooled one
     * @param listener who hears the attempt's outcome
     */
    OriginAttempt(Gateway gateway, ProxyExchange exchange, OriginTarget target, HttpRequest request, boolean fresh,
            AttemptListener listener) {
        this.gateway = gateway;
        this.exchange = exchange;
        this.target = target;
        this.request = request;
        // The total on the timeline covers the whole exchange, not only this try.
        this.timeline = new RequestTimeline(exchange.facts().startNanos());
        this.fresh = fresh;
        this.listener = listener;
        this.startNanos = gateway.nanoClock().getAsLong();
    }

    /** Resolves, connects (or takes a pooled connection on this loop) and writes the request head. */
    void start(Site site, EventLoop loop, boolean requestComplete) {
        start(site, site.addressGuard(), loop, requestComplete);
    }

    /** Starts the attempt with its own address rules: a cluster peer's address is the operator's, not an origin's. */
    void start(Site site, AddressGuard guard, EventLoop loop, boolean requestComplete) {
        Future<OriginConnection> acquired = gateway.connector().acquire(loop, target, guard, timeline, !fresh);
        if (acquired.isDone()) {
            onAcquired(acquired, site, requestComplete);
        } else {
            acquired.addListener(f -> onAcquired(acquired, site, requestComplete));
        }
    }

    private void onAcquired(Future<OriginConnection> acquired, Site site, boolean requestComplete) {
        if (listener == null) {
            if (acquired.isSuccess()) {
                acquired.getNow().close();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            ended();
            listener.failed(this, connectFailure(acquired.cause()));
            return;
        }
        connection = acquired.getNow();
        if (!connection.reused()) {
            gateway.metrics().originConnect(site.name(), timeline.connectMillis());
        }
        connection.attach(this);
        connection.channel().write(request);
        if (requestComplete) {
            sendLast(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        connection.channel().flush();
        listener.connected(this);
    }

    /** Runs {@code action} once when the attempt ends, however it ends. */
    void whenEnded(Runnable action) {
        onEnd = action;
    }

    /**
     * Ends the attempt as timed out when no response head arrived within {@code timeoutNanos} of now: a connect
     * timeout while still connecting, else a response timeout, explained as taking longer than {@code limit}, with
     * {@code limitFact} = {@code limitMillis} in the evidence.
     */
    void deadline(EventLoop loop, long timeoutNanos, String limit, String limitFact, long limitMillis) {
        deadline = loop.schedule(() -> {
            AttemptListener current = listener;
            if (current == null || finalHead) {
                return;
            }
            listener = null;
            boolean wasConnected = connection != null;
            if (wasConnected) {
                connection.close();
            }
            ended();
            FailureCode code = wasConnected ? FailureCode.ORIGIN_RESPONSE_TIMEOUT : FailureCode.ORIGIN_CONNECT_TIMEOUT;
            current.failed(this, Failure.of(code, "The attempt at " + target.nextHop() + " took longer than "
                    + limit + ".", Evidence.builder()
                    .put("origin", target.nextHop())
                    .put(limitFact, limitMillis)
                    .build()));
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void ended() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        Runnable action = onEnd;
        onEnd = null;
        if (action != null) {
            action.run();
        }
    }

    /** Sends a piece of the request body; the listener hears when it was written. */
    void sendBody(HttpContent content) {
        if (content instanceof LastHttpContent last) {
            sendLast(last);
            return;
        }
        connection.channel().writeAndFlush(content).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && listener != null) {
                listener.bodyWritten(this);
            }
        });
    }

    private void sendLast(LastHttpContent last) {
        OriginConnection sentOn = connection;
        sentOn.channel().writeAndFlush(last).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && listener != null && connection == sentOn) {
                requestSent = true;
                timeline.requestSent(gateway.nanoClock().getAsLong());
                sentOn.startResponseTimer();
            }
        });
    }

    @Override
    public void onResponseObject(HttpObject message) {
        AttemptListener current = listener;
        if (current == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                Failure rejected = ResponseFraming.rejectedHead(response.headers(), response.decoderResult().cause(),
                        connection.hop());
                ReferenceCountUtil.release(message);
                fail(new FailureException(rejected));
                return;
            }
            OriginHeadChecks.cleanReason(response);
            Failure refused = OriginHeadChecks.refusal(response, exchange.upgrade != null, connection.hop());
            if (refused != null) {
                ReferenceCountUtil.release(message);
                fail(new FailureException(refused));
                return;
            }
            int code = response.status().code();
            if (code == 101) {
                finalHead = true;
                timeline.firstByte(gateway.nanoClock().getAsLong());
                current.switched(this, response);
                return;
            }
            if (code < 200) {
                interim = code + " " + response.status().reasonPhrase();
                ReferenceCountUtil.release(message);
                current.interim(this, response);
                return;
            }
            finalHead = true;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
            timeline.firstByte(gateway.nanoClock().getAsLong());
            current.head(this, response);
            if (!(response instanceof HttpContent)) {
                return;
            }
        }
        if (message instanceof HttpContent content) {
            if (!content.decoderResult().isSuccess()) {
                content.release();
                fail(new FailureException(FailureClassifier.classifyDecoderFailure(
                        content.decoderResult().cause(), bodyDelivered, connection.hop())));
            } else if (!finalHead) {
                // The end of an interim response: the final one follows.
                content.release();
            } else if (listener != null) {
                bodyDelivered = true;
                listener.content(this, ResponseTrailers.withoutHeaderOnly(content));
            } else {
                content.release();
            }
        } else if (!(message instanceof HttpResponse)) {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void onReadComplete() {
        if (listener != null) {
            listener.readComplete(this);
        }
    }

    @Override
    public void onOriginFailure(Throwable cause) {
        if (listener != null && connection != null) {
            fail(cause);
        }
    }

    private void fail(Throwable cause) {
        OriginConnection broken = connection;
        AttemptListener current = listener;
        listener = null;
        broken.close();
        ended();
        Failure failure = responseFailure(broken, cause);
        if (!finalHead) {
            failure = PortLanguage.reword(failure, broken.firstBytes(), broken.sslHandler() != null, broken.reused());
        }
        current.failed(this, failure);
    }

    /** Stops reading the origin while the client is slow to take what was read. */
    void clientBusy() {
        if (!waitingForClient) {
            waitingForClient = true;
            connection.pauseReading();
        }
    }

    /** Reads on once the client took what was read. */
    void clientCaughtUp() {
        if (waitingForClient && listener != null) {
            waitingForClient = false;
            connection.resumeReading();
        }
    }

    /** Notes that the origin will close the connection after this response (no keep-alive). */
    void notReusable() {
        reusable = false;
    }

    /**
     * Ends the attempt after its response's last byte: the connection goes back to this loop's pool when the
     * origin keeps it alive and the request went out whole, else it is closed.
     */
    void finish() {
        listener = null;
        ended();
        if (reusable && requestSent) {
            connection.release();
        } else {
            connection.close();
        }
    }

    /**
     * Ends the attempt after a 101: its connection becomes the origin end of a tunnel and never returns to the pool.
     */
    void upgrade(ChannelHandler originEnd) {
        listener = null;
        connection.upgrade(originEnd);
    }

    /** Cuts the attempt off: its connection is closed and nothing it hears reaches anyone. */
    void abandon() {
        listener = null;
        ended();
        if (connection != null) {
            connection.close();
        }
    }

    /** Returns the exchange this attempt tries to answer. */
    ProxyExchange exchange() {
        return exchange;
    }

    /** Returns whether a connection was acquired, so the request may have reached the origin. */
    boolean connected() {
        return connection != null;
    }

    /** Returns whether the connection came from the pool. */
    boolean reused() {
        return connection != null && connection.reused();
    }

    /** Returns the origin connection, or null before one was acquired. */
    OriginConnection connection() {
        return connection;
    }

    /** Returns where the attempt goes. */
    OriginTarget target() {
        return target;
    }

    /** Returns when the attempt began, on the gateway's nanosecond clock. */
    long startNanos() {
        return startNanos;
    }

    /** Returns the attempt's timeline. */
    RequestTimeline timeline() {
        return timeline;
    }

    private Failure connectFailure(Throwable cause) {
        if (cause instanceof FailureException fe) {
            return fe.failure();
        }
        return FailureClassifier.classify(Phase.CONNECT, cause, false,
                new OriginHop(target.origin().host(), target.port(), null));
    }

    private Failure responseFailure(OriginConnection broken, Throwable cause) {
        if (cause instanceof FailureException fe) {
            return fe.failure();
        }
        SslHandler ssl = broken.sslHandler();
        if (ssl != null && !bodyDelivered) {
            // Under TLS 1.3 an origin's refusal of the (absent) client certificate arrives on the first read.
            Failure late = gateway.originTls().classify(ssl, cause, TlsStage.FIRST_READ).orElse(null);
            if (late != null) {
                return late;
            }
        }
        Failure failure = FailureClassifier.classify(Phase.RESPONSE, cause, bodyDelivered, broken.hop());
        return interim != null && !finalHead ? ResponseFraming.onlyInterim(failure, interim) : failure;
    }
}
