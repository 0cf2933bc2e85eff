package io.telltale.server.edge;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.ProxyPhases;
import java.util.function.Supplier;

/**
 * Builds a client connection's pipeline: TLS chosen by SNI on HTTPS, deadlines, the strict HTTP/1.1 codec,
 * flow control, the proxy.
 *
 * <p>Each connection joins the group the server drains on stop.
 */
public final class EdgeChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String DEADLINES = "deadlines";
    static final String CODEC = "http";
    static final String FLOW = "flow";
    static final String PROXY = "proxy";

    static final String TLS = "tls";

    private final Supplier<Gateway> gateway;
    private final ChannelGroup clients;
    private final Mapping<String, SslContext> certificates;
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
    protected void initChannel(SocketChannel ch) {
        clients.add(ch);
        Gateway g = gateway.get();
        ChannelPipeline p = ch.pipeline();
        if (certificates != null) {
            p.addLast(TLS, new SniHandler(certificates));
        }
        p.addLast(DEADLINES, new ClientDeadlines(g.limits().keepAliveTimeout().toNanos(),
                g.limits().headerTimeout().toNanos()));
        p.addLast(CODEC, new EdgeHttpCodec(g.limits()));
        p.addLast(FLOW, new FlowControlHandler());
        p.addLast(PROXY, new HttpEdgeHandler(context(g), certificates != null));
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
