package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.OriginHop;

/** One origin connection lent to one exchange; it goes back to its loop's pool or is closed when done. */
public final class OriginConnection {
    private final Channel channel;
    private final OriginKey key;
    private final OriginPool pool;
    private final OriginTarget target;
    private final boolean reused;
    private final OriginResponseHandler handler;
    private final ResolvedOrigin resolved;
    private final Http2Session session;
    private boolean returned;

    OriginConnection(Channel channel, OriginKey key, OriginPool pool, OriginTarget target, boolean reused,
            ResolvedOrigin resolved) {
        this(channel, key, pool, target, reused, resolved, null);
    }

    /**
     * Creates a connection lent to one exchange: a whole HTTP/1.1 connection from {@code pool}, or one HTTP/2
     * stream of {@code session} (then {@code pool} is null and the channel is the stream's).
     */
    OriginConnection(Channel channel, OriginKey key, OriginPool pool, OriginTarget target, boolean reused,
            ResolvedOrigin resolved, Http2Session session) {
        this.channel = channel;
        this.key = key;
        this.pool = pool;
        this.target = target;
        this.reused = reused;
        this.handler = channel.pipeline().get(OriginResponseHandler.class);
        this.resolved = resolved;
        this.session = session;
    }

    /** Returns the channel to write the request to. */
    public Channel channel() {
        return channel;
    }

    /** Returns whether this connection came from the pool rather than a fresh connect. */
    public boolean reused() {
        return reused;
    }

    /** Returns where this connection goes. */
    public OriginTarget target() {
        return target;
    }

    /** Returns the name resolution this request used, whose {@code stale()} says the resolvers had failed. */
    public ResolvedOrigin resolved() {
        return resolved;
    }

    /** Returns where this connection goes, as failures name it. */
    public OriginHop hop() {
        return OriginConnector.hop(target, key);
    }

    /** Returns whether this is one stream of a multiplexed HTTP/2 connection. */
    public boolean http2() {
        return session != null;
    }

    /** Returns a copy of the first bytes the origin sent on this connection (after TLS), empty when none came. */
    public byte[] firstBytes() {
        byte[] first = connection().attr(FirstBytes.KEY).get();
        return first == null ? new byte[0] : first.clone();
    }

    /** Returns the connection's TLS handler, or null for plain HTTP. */
    public SslHandler sslHandler() {
        return connection().pipeline().get(SslHandler.class);
    }

    /** Returns the TCP connection's channel: the stream's parent for HTTP/2. */
    private Channel connection() {
        return session != null ? channel.parent() : channel;
    }

    /** Directs the origin's response to this exchange's listener. */
    public void attach(OriginExchangeListener listener) {
        handler.attach(listener);
    }

    /** Starts the response timeout once the request's last byte has been flushed. */
    public void startResponseTimer() {
        handler.startResponseTimer(target.origin().responseTimeout().toNanos());
    }

    /**
     * Stops reading while the client is slow to take what was already read; the response clock stops too, so
     * the origin is not blamed for the client's pace.
     */
    public void pauseReading() {
        handler.pause();
        channel.config().setAutoRead(false);
    }

    /** Reads on, and restarts the response clock, once the client took what was read. */
    public void resumeReading() {
        handler.resume();
        channel.config().setAutoRead(true);
    }

    /** Returns the connection to the pool for the next request on this loop. */
    public void release() {
        if (returned) {
            return;
        }
        returned = true;
        handler.detach();
        if (session != null) {
            // A stream is never reused: closing it after its response only frees its place on the connection.
            channel.close();
        } else if (OriginHttpCodec.spoiled(channel)) {
            // Bytes came after the response ended: they would be read as the next request's response.
            channel.close();
        } else if (channel.isActive()) {
            pool.offer(key, channel, target.origin().idleTimeout().toNanos());
        }
    }

    /**
     * Hands the connection over to a byte tunnel after the origin switched protocols (101): the tunnel's handler
     * takes the HTTP handlers' place, and the bytes the codec already read after the 101 reach it as raw buffers.
     * The connection never returns to the pool; whoever holds the channel closes it.
     *
     * @param tunnelEnd the handler that relays the origin's bytes from now on
     * @return the origin channel
     */
    public Channel upgrade(ChannelHandler tunnelEnd) {
        if (session != null) {
            throw new IllegalStateException("an HTTP/2 stream cannot become a byte tunnel");
        }
        returned = true;
        handler.detach();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.remove(handler);
        // Added before the codec leaves, so the bytes the codec still holds have somewhere to go.
        pipeline.addLast(tunnelEnd);
        pipeline.remove(OriginChannelInitializer.CODEC);
        return channel;
    }

    /** Closes the connection; it is not reused. */
    public void close() {
        if (returned) {
            return;
        }
        returned = true;
        handler.detach();
        channel.close();
    }
}
