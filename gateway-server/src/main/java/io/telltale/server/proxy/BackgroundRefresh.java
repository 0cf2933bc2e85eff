package io.telltale.server.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import io.telltale.core.origin.OriginConnection;
import io.telltale.core.origin.OriginExchangeListener;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.origin.RequestTimeline;

/**
 * Revalidates a stale object in the background (stale-while-revalidate): the client was already served the
 * stale copy, and this exchange feeds the origin's answer to the cache fill without any client attached.
 */
public final class BackgroundRefresh implements OriginExchangeListener {
    private final CacheFill fill;
    private final OriginTarget target;
    private OriginConnection connection;
    private boolean headSeen;
    private boolean refreshedBy304;
    private boolean finished;

    private BackgroundRefresh(CacheFill fill, OriginTarget target) {
        this.fill = fill;
        this.target = target;
    }

    /** Starts the revalidation on the given event loop. */
    static void start(Gateway gateway, EventLoop loop, Site site, OriginTarget target, HttpRequest request,
            CacheFill fill) {
        BackgroundRefresh refresh = new BackgroundRefresh(fill, target);
        request.headers().set(HttpHeaderNames.HOST, target.hostHeader(request.headers().get(HttpHeaderNames.HOST)));
        Future<OriginConnection> acquired = gateway.connector().acquire(loop, target, site.addressGuard(),
                new RequestTimeline(gateway.nanoClock().getAsLong()), true);
        acquired.addListener(f -> refresh.onAcquired(acquired, request));
    }

    private void onAcquired(Future<OriginConnection> acquired, HttpRequest request) {
        if (!acquired.isSuccess()) {
            finish(acquired.cause());
            return;
        }
        connection = acquired.getNow();
        connection.attach(this);
        connection.channel().write(request);
        connection.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                connection.startResponseTimer();
                connection.read();
            }
        });
    }

    @Override
    public void onResponseObject(HttpObject message) {
        if (message instanceof HttpResponse response) {
            int code = response.status().code();
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(message);
                onOriginFailure(response.decoderResult().cause());
                return;
            }
            if (code >= 200) {
                headSeen = true;
                if (code == 304) {
                    refreshedBy304 = true;
                    if (fill.notModified(response.headers()) == null) {
                        fill.fail(code, null);
                    }
                } else {
                    HopHeaders.strip(response.headers());
                    fill.head(response.status(), response.headers());
                }
            }
        }
        if (message instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (headSeen && !refreshedBy304) {
                fill.content(content.content());
            }
            content.release();
            if (last && headSeen) {
                if (!refreshedBy304) {
                    fill.complete();
                }
                finished = true;
                connection.release();
                return;
            }
        }
        connection.read();
    }

    @Override
    public void onOriginFailure(Throwable cause) {
        if (connection != null) {
            connection.close();
        }
        finish(cause);
    }

    private void finish(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        if (refreshedBy304) {
            return;
        }
        fill.fail(0, cause instanceof FailureException fe ? fe.failure()
                : FailureClassifier.classify(Phase.RESPONSE, cause, headSeen,
                        new OriginHop(target.origin().host(), target.port(), null)));
    }
}
