package io.telltale.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.Mapping;
import io.telltale.core.config.LimitsConfig;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.ProxyPhases;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds a client connection's pipeline: TLS chosen by SNI on HTTPS, the connection's lasting handler, then
 * its HTTP handlers (the strict HTTP/1.1 codec, flow control, the proxy), which an idle connection gives up
 * until its next request.
 *
 * <p>Each connection joins the group the server drains on stop.
 */
public final class EdgeChannelInitializer extends ChannelInitializer<Channel> {
    static final String CONNECTION = "connection";
    static final String CODEC = "http";
    static final String FLOW = "flow";
    static final String PROXY = "proxy";

    static final String TLS = "tls";
    static final String CHUNKED = "chunked";

    private final Supplier<Gateway> gateway;
    private final ChannelGroup clients;
    private final Mapping<String, SslContext> certificates;
    private final Map<EventLoop, ClientTimer> timers = new ConcurrentHashMap<>();
    private volatile EdgeContext context;

    /**
     * Creates the initializer of one listener.
     *
     * @param gateway the current gateway
     * @param clients the group every accepted connection joins
     * @param certificates the certificate for each SNI name on an HTTPS listener, or null for plain HTTP
     */
    public EdgeChannelInitializer(Supplier<Gateway> gateway, ChannelGroup clients, Mapping<String, SslContext> certificates) {
        this.gateway = gateway;
        this.clients = clients;
        this.certificates = certificates;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (certificates != null) {
            p.addLast(TLS, new SniHandler(certificates));
            // Stored bodies read back from disk reach the TLS engine in chunks: a file region cannot be encrypted.
            p.addLast(CHUNKED, new ChunkedWriteHandler());
        }
        ClientConnection connection = new ClientConnection(timer(ch.eventLoop()));
        p.addLast(CONNECTION, connection);
        addHttpHandlers(p, connection, false);
    }

    private void addHttpHandlers(ChannelPipeline p, ClientConnection connection, boolean woken) {
        Gateway g = gateway.get();
        p.addLast(CODEC, new EdgeHttpCodec(g.limits()));
        p.addLast(FLOW, new FlowControlHandler());
        p.addLast(PROXY, new HttpEdgeHandler(context(g), certificates != null, connection, woken));
    }

    /** Returns the timer of the connections on this event loop, made with the loop's first connection. */
    private ClientTimer timer(EventLoop loop) {
        ClientTimer timer = timers.get(loop);
        if (timer == null) {
            Gateway g = gateway.get();
            LimitsConfig limits = g.limits();
            timer = timers.computeIfAbsent(loop, l -> new ClientTimer(l, limits.keepAliveTimeout().toNanos(),
                    limits.headerTimeout().toNanos(), this::addHttpHandlers, g.metrics()));
        }
        return timer;
    }

    /** Returns the shared context of the given gateway, made once per gateway rather than per connection. */
    private EdgeContext context(Gateway g) {
        EdgeContext shared = context;
        if (shared == null || shared.gateway() != g) {
            shared = new EdgeContext(g, new ProxyPhases(g));
            context = shared;
        }
        return shared;
    }
}
