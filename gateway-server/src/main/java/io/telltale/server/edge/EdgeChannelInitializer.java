package io.telltale.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.telltale.core.config.Http2Config;
import io.telltale.core.config.LimitsConfig;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.ProxyPhases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds a client connection's pipeline: TLS chosen by SNI on HTTPS, the switch to HTTP/2 (by ALPN on HTTPS,
 * by the connection preface on plain HTTP), the connection's lasting handler, then its HTTP/1.1 handlers (the
 * strict codec, flow control, the proxy), which an idle connection gives up until its next request, or, once
 * switched, its HTTP/2 handlers (the frame codec, one child channel per stream, the connection's guard).
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
    static final String SWITCH = "switch";
    static final String H2_CODEC = "h2";
    static final String H2_STREAMS = "h2-streams";
    static final String H2_GUARD = "h2-guard";

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
        if (gateway.get().draining().get()) {
            // Accepted while the listener was closing: stopping told every connection it saw to drain, and joining
            // the group before this look means it either saw this one or this one sees the drain here.
            ch.close();
            return;
        }
        ChannelPipeline p = ch.pipeline();
        Http2Config http2 = gateway.get().config().server().http2();
        if (certificates != null) {
            p.addLast(TLS, new SniHandler(certificates));
            if (http2.tls()) {
                p.addLast(SWITCH, new AlpnSwitch(this::switchToHttp2));
            }
        } else if (http2.cleartext()) {
            p.addLast(SWITCH, new PriorKnowledgeSwitch(this::switchToHttp2));
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

    /** Replaces a connection's HTTP/1.1 handlers, which have not read a byte, with its HTTP/2 handlers. */
    private void switchToHttp2(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        ((ClientConnection) p.get(CONNECTION)).serveHttp2();
        for (String h1 : List.of(CODEC, FLOW, PROXY)) {
            if (p.get(h1) != null) {
                p.remove(h1);
            }
        }
        // Streams hold back uploads by their flow-control windows; the socket itself is always read.
        p.channel().config().setAutoRead(true);
        Gateway g = gateway.get();
        Http2Config http2 = g.config().server().http2();
        Http2EdgeCodec codec = Http2EdgeCodec.create(http2, g.config().server().drainTimeout().toMillis(), g.metrics());
        p.addLast(H2_CODEC, codec);
        p.addLast(H2_STREAMS, new Http2MultiplexHandler(
                new Http2StreamInitializer(context(g), certificates != null, ClientSession.of(p.channel()))));
        p.addLast(H2_GUARD, new Http2ConnectionGuard(codec.connection(), http2,
                g.limits().keepAliveTimeout().toNanos(), g.metrics()));
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
