package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureException;
import io.telltale.core.failure.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The multiplexed HTTP/2 origin connections of every event loop, by origin key, and the streams opened on them:
 * a request takes a stream on a connection of its loop that has room, and a new connection is opened only when
 * every one is full, going away or closed.
 */
final class Http2Connections {
    private final Map<EventLoop, Map<OriginKey, List<Http2Session>>> byLoop = new ConcurrentHashMap<>();

    /**
     * Creates the session of a connection about to be dialled and pools it at once, so that requests arriving
     * while it connects wait for it instead of dialling connections of their own.
     */
    Http2Session newSession(EventLoop loop, OriginKey key, OriginTarget target) {
        Http2Session session = new Http2Session(target, key, s -> remove(loop, key, s));
        sessions(loop).computeIfAbsent(key, k -> new ArrayList<>(2)).add(session);
        return session;
    }

    /** Returns a connection of this loop to the key with room for one more stream, or null. */
    Http2Session withRoom(EventLoop loop, OriginKey key) {
        List<Http2Session> sessions = sessions(loop).get(key);
        if (sessions == null) {
            return null;
        }
        for (Http2Session session : sessions) {
            if (session.hasRoom()) {
                return session;
            }
        }
        return null;
    }

    /**
     * Opens a stream on a connection that has room, once its SETTINGS came, and completes the promise with it;
     * {@code again} picks another connection when the origin's SETTINGS left no room for this request.
     */
    void stream(Http2Session session, OriginKey key, OriginTarget target, boolean reused, ResolvedOrigin resolved,
            Promise<OriginConnection> promise, Runnable again) {
        if (!session.isReady()) {
            Future<Http2Session> ready = session.reserve();
            ready.addListener(f -> {
                if (!f.isSuccess() && f.cause() instanceof FailureException) {
                    promise.setFailure(f.cause());
                } else if (!f.isSuccess()) {
                    // The connection this request waited for failed to connect: that was another request's try.
                    again.run();
                } else if (session.hasRoom()) {
                    open(session, key, target, reused, resolved, promise);
                } else {
                    again.run();
                }
            });
            return;
        }
        open(session, key, target, reused, resolved, promise);
    }

    private void open(Http2Session session, OriginKey key, OriginTarget target, boolean reused,
            ResolvedOrigin resolved, Promise<OriginConnection> promise) {
        Future<Http2StreamChannel> opened = session.openStream(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                        new Http2StreamEvents(session), new OriginResponseHandler());
            }
        });
        opened.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(new OriginConnection((Channel) f.getNow(), key, null, target, reused, resolved,
                        session));
                return;
            }
            Failure failure = session.goAway() != null
                    ? Http2Failures.goAway(session.hop(), 0, session.goAway())
                    : FailureClassifier.classify(Phase.CONNECT, f.cause(), false, session.hop());
            promise.setFailure(new FailureException(failure));
        });
    }

    private Map<OriginKey, List<Http2Session>> sessions(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new HashMap<>());
    }

    private void remove(EventLoop loop, OriginKey key, Http2Session session) {
        List<Http2Session> sessions = sessions(loop).get(key);
        if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
            sessions(loop).remove(key);
        }
    }
}
