package io.telltale.core.failure;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Makes a loopback origin reset a connection after reading a request, and returns what Netty raised. */
public final class OriginResets {
    private OriginResets() {
    }

    /** Connects with the given transport, sends a request, lets the origin abort with RST, returns the cause seen. */
    public static Throwable afterRequest(EventLoopGroup group, Class<? extends Channel> transport) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Throwable> caught = new CompletableFuture<>();
            ChannelFuture cf = new Bootstrap().group(group).channel(transport)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            caught.complete(cause);
                            ctx.close();
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            caught.complete(new AssertionError("closed without an exception"));
                        }
                    })
                    .connect(server.getLocalSocketAddress());
            cf.syncUninterruptibly();
            try (Socket accepted = server.accept()) {
                cf.channel().writeAndFlush(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
                accepted.getInputStream().read();
                // SO_LINGER 0: the close sends a reset instead of a FIN.
                accepted.setSoLinger(true, 0);
            }
            return caught.get(5, TimeUnit.SECONDS);
        }
    }
}
