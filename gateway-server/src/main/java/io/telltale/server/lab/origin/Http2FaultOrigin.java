package io.telltale.server.lab.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cleartext HTTP/2 origin (prior knowledge, Netty's frame codec) on 127.0.0.1 that fails each request's stream
 * in the one way its {@link Fault} says, once the request has fully arrived.
 */
public final class Http2FaultOrigin implements AutoCloseable {
    /** The debug data of the {@link Fault#GOAWAY} origin's GOAWAY frame. */
    public static final String GOAWAY_DEBUG_DATA = "db pool exhausted";

    /** How an {@link Http2FaultOrigin} fails a stream. */
    public enum Fault {
        /** Resets every stream with {@code RST_STREAM INTERNAL_ERROR}: the application crashed mid-request. */
        RESET,
        /**
         * Sends {@code GOAWAY INTERNAL_ERROR} whose last stream id is the request's (so it was processed), with
         * {@link #GOAWAY_DEBUG_DATA}, then closes the connection.
         */
        GOAWAY,
        /**
         * Refuses every other stream it receives with {@code RST_STREAM REFUSED_STREAM} and answers the rest, so that
         * each request is refused once and answered when sent again.
         */
        REFUSE_EVERY_OTHER
    }

    private final Fault fault;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final Channel server;

    private Http2FaultOrigin(Fault fault) throws InterruptedException {
        this.fault = fault;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new StreamHandler());
                                    }
                                }));
                    }
                }).bind(NetUtil.LOCALHOST4, 0).sync().channel();
    }

    /** Binds 127.0.0.1 on a free port and starts failing streams as {@code fault} says. */
    public static Http2FaultOrigin start(Fault fault) throws InterruptedException {
        return new Http2FaultOrigin(fault);
    }

    /** Returns the port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns how many TCP connections it accepted. */
    public int connections() {
        return connections.get();
    }

    /** Returns how many request streams reached it, refused ones included. */
    public int streams() {
        return streams.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean ended = msg instanceof Http2HeadersFrame h && h.isEndStream()
                        || msg instanceof Http2DataFrame d && d.isEndStream();
                if (ended) {
                    fail(ctx, streams.incrementAndGet());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void fail(ChannelHandlerContext ctx, int count) {
            Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
            switch (fault) {
                case RESET -> ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
                case GOAWAY -> {
                    Channel connection = stream.parent();
                    Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
                    ChannelHandlerContext codecCtx = connection.pipeline().context(codec);
                    codec.goAway(codecCtx, stream.stream().id(), Http2Error.INTERNAL_ERROR.code(),
                            Unpooled.copiedBuffer(GOAWAY_DEBUG_DATA, StandardCharsets.US_ASCII), codecCtx.newPromise())
                            .addListener(ChannelFutureListener.CLOSE);
                    codecCtx.flush();
                }
                case REFUSE_EVERY_OTHER -> {
                    if (count % 2 == 1) {
                        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                    } else {
                        answer(ctx, count);
                    }
                }
            }
        }

        private void answer(ChannelHandlerContext ctx, int count) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .set("content-type", "text/plain; charset=us-ascii").set("cache-control", "no-store")));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("stream " + count
                    + " answered: the one before it was refused with REFUSED_STREAM and sent again by the gateway\n",
                    StandardCharsets.US_ASCII), true));
        }
    }
}
