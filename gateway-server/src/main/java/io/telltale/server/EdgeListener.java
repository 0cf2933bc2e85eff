package io.telltale.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.telltale.server.edge.EdgeChannelInitializer;
import io.telltale.server.edge.HttpEdgeHandler;
import io.telltale.server.edge.Transport;
import io.telltale.server.proxy.Gateway;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * One edge listener (HTTP or HTTPS) and the client connections it accepted, which it drains on its own when a
 * reload moves it to another address.
 */
final class EdgeListener {
    private static final AdaptiveRecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator();

    private final String address;
    private final int port;
    private final Channel channel;
    private final ChannelGroup clients;

    private EdgeListener(String address, int port, Channel channel, ChannelGroup clients) {
        this.address = address;
        this.port = port;
        this.channel = channel;
        this.clients = clients;
    }

    /**
     * Binds a listener whose connections use the current gateway; a port that cannot be bound is a config
     * problem naming {@code field}.
     *
     * @param certificates the certificate for each SNI name on HTTPS, or null for plain HTTP
     */
    static EdgeListener bind(String field, String address, int port, EventLoopGroup boss, EventLoopGroup workers,
            Transport transport, Supplier<Gateway> gateway, Mapping<String, SslContext> certificates)
            throws InterruptedException {
        ChannelGroup clients = new DefaultChannelGroup(field, GlobalEventExecutor.INSTANCE);
        ChannelFuture bound = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // One allocator for all connections: Netty otherwise makes one per connection, kept while it lives.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                .childHandler(new EdgeChannelInitializer(gateway, clients, certificates))
                .bind(address, port)
                .await();
        return new EdgeListener(address, port, EdgeServer.boundOrProblem(bound, field, address, port), clients);
    }

    /** Returns whether this listener was bound for this configured address and port. */
    boolean serves(String configuredAddress, Integer configuredPort) {
        return configuredPort != null && configuredPort == port && configuredAddress.equals(address);
    }

    /** Returns the port it is bound to (the one the system chose when configured as 0). */
    int boundPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Returns the address it is bound to. */
    Object localAddress() {
        return channel.localAddress();
    }

    /** Returns its open client connections. */
    ChannelGroup clients() {
        return clients;
    }

    /** Stops accepting and asks each of its connections to close once its current request is answered. */
    void stopAccepting() {
        channel.close().syncUninterruptibly();
        for (Channel client : clients) {
            client.pipeline().fireUserEventTriggered(HttpEdgeHandler.DRAIN);
        }
    }
}
