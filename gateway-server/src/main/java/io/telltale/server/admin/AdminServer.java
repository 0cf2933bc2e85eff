package io.telltale.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.telltale.core.config.AdminConfig;
import io.telltale.core.config.ConfigException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The admin listener; unlike the edge, its small requests are aggregated whole. */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_ADMIN_REQUEST = 64 * 1024;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds the admin listener, with extra GET routes by exact path (the lab's), and returns once listening. */
    public static AdminServer start(AdminConfig config, Class<? extends ServerSocketChannel> channelType,
            EventLoopGroup boss, EventLoopGroup workers, AdminView view, Map<String, Supplier<AdminResponse>> extra)
            throws InterruptedException {
        AdminRoutes routes = new AdminRoutes(view, config.token(), extra);
        ChannelFuture bound = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("keep-alive", new HttpServerKeepAliveHandler());
                        p.addLast("aggregate", new HttpObjectAggregator(MAX_ADMIN_REQUEST));
                        p.addLast("routes", new AdminHandler(routes));
                    }
                })
                .bind(config.bindAddress(), config.port())
                .await();
        if (!bound.isSuccess()) {
            throw new ConfigException(List.of("admin.port: " + config.port() + " (expected: a port free to listen on at "
                    + config.bindAddress() + "; " + bound.cause().getMessage() + ")"));
        }
        return new AdminServer(bound.channel());
    }

    /** Returns the bound address. */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /** Returns the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
