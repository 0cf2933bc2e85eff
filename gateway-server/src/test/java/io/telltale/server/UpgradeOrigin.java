package io.telltale.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** A raw origin that answers any request with 101 and then behaves in one way, to drive a tunnel's edges. */
final class UpgradeOrigin implements AutoCloseable {
    /** What the origin does once it switched protocols. */
    enum Mode {
        /** Writes {@link #FLOOD_BYTES} as fast as the connection takes them. */
        FLOOD,
        /** Writes {@code hello} and resets the connection. */
        HELLO_THEN_RESET,
        /** Waits for the client's FIN, then writes {@code bye} and closes. */
        BYE_AFTER_FIN
    }

    static final long FLOOD_BYTES = 128L << 20;
    private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final Mode mode;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Channel> accepted = new AtomicReference<>();
    private final AtomicReference<String> requestHead = new AtomicReference<>();
    private final Channel server;

    UpgradeOrigin(Mode mode) {
        this.mode = mode;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.SO_SNDBUF, 65_536)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.set(ch);
                        ch.pipeline().addLast(new Switch());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns the bytes written to the tunnel so far (flushed to the socket). */
    long written() {
        return written.get();
    }

    /** Returns the head of the upgrade request the origin answered, or null before one came. */
    String requestHead() {
        return requestHead.get();
    }

    /** Returns the accepted connection, or null before one came. */
    Channel connection() {
        return accepted.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Switch extends ChannelInboundHandlerAdapter {
        private final StringBuilder head = new StringBuilder();
        private boolean switched;
        private long pending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (!switched) {
                    head.append(buf.toString(StandardCharsets.ISO_8859_1));
                    if (head.indexOf("\r\n\r\n") >= 0) {
                        switched = true;
                        requestHead.set(head.substring(0, head.indexOf("\r\n\r\n")));
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(SWITCHING));
                        afterSwitch(ctx);
                    }
                }
            } finally {
                buf.release();
            }
        }

        private void afterSwitch(ChannelHandlerContext ctx) {
            switch (mode) {
                case FLOOD -> flood(ctx);
                case HELLO_THEN_RESET -> ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII))
                        .addListener((ChannelFutureListener) f -> {
                            f.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                            f.channel().close();
                        });
                case BYE_AFTER_FIN -> {
                    // Answered when the FIN arrives.
                }
            }
        }

        private void flood(ChannelHandlerContext ctx) {
            byte[] chunk = new byte[65_536];
            while (ctx.channel().isWritable() && written.get() + pending < FLOOD_BYTES) {
                pending += chunk.length;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(chunk)).addListener(f -> {
                    if (f.isSuccess()) {
                        written.addAndGet(chunk.length);
                        pending -= chunk.length;
                    }
                });
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (switched && mode == Mode.FLOOD && ctx.channel().isWritable()) {
                flood(ctx);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && mode == Mode.BYE_AFTER_FIN) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
