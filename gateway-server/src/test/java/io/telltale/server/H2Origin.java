package io.telltale.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.telltale.server.lab.tls.LabCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 origin on loopback built with Netty's frame codec, over h2c or TLS with a chosen ALPN protocol. By
 * path: {@code /reset/NAME} resets the stream with that error code, {@code /refuse-once} refuses its first stream
 * ({@code REFUSED_STREAM}), {@code /goaway-unprocessed-once} sends GOAWAY below its first stream's id,
 * {@code /goaway} sends GOAWAY {@code INTERNAL_ERROR} naming the stream processed and closes the connection,
 * {@code /slow…} holds its answer until released; every other path is answered 200 with trailers, echoing the
 * request's trailers.
 */
final class H2Origin implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger maxOpenStreams = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Boolean> once = new ConcurrentHashMap<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();

    private H2Origin(SslContext tls, int maxConcurrentStreams) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings()
                                                .maxConcurrentStreams(maxConcurrentStreams)).build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new StreamHandler());
                                    }
                                }));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** Starts a cleartext (h2c, prior knowledge) origin announcing this stream limit. */
    static H2Origin cleartext(int maxConcurrentStreams) throws InterruptedException {
        return new H2Origin(null, maxConcurrentStreams);
    }

    /** Starts a TLS origin whose ALPN selects {@code protocol} among those offered. */
    static H2Origin tls(LabCertificate certificate, String protocol) throws Exception {
        SslContext context = SslContextBuilder.forServer(certificate.key(), certificate.chain())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
        return new H2Origin(context, 100);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns the number of TCP connections accepted. */
    int connections() {
        return connections.get();
    }

    /** Returns the most streams that were open at once. */
    int maxOpenStreams() {
        return maxOpenStreams.get();
    }

    /** Returns the paths of the streams whose headers arrived, in order. */
    List<String> paths() {
        return paths;
    }

    /** Returns the number of {@code /slow} streams held. */
    int held() {
        return held.size();
    }

    /** Answers every held {@code /slow…} stream. */
    void release() {
        group.execute(() -> {
            held.forEach(Runnable::run);
            held.clear();
        });
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private String path;
        private final StringBuilder body = new StringBuilder();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            maxOpenStreams.accumulateAndGet(openStreams.incrementAndGet(), Math::max);
            ctx.channel().closeFuture().addListener(f -> openStreams.decrementAndGet());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers && path == null) {
                    path = headers.headers().path().toString();
                    paths.add(path);
                    if (begin(ctx, headers) && headers.isEndStream()) {
                        answer(ctx, null);
                    }
                } else if (msg instanceof Http2HeadersFrame trailers) {
                    answer(ctx, trailers.headers());
                } else if (msg instanceof Http2DataFrame data) {
                    body.append(data.content().toString(StandardCharsets.UTF_8));
                    if (data.isEndStream()) {
                        answer(ctx, null);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** Acts on the request head; returns whether the stream is answered normally. */
        private boolean begin(ChannelHandlerContext ctx, Http2HeadersFrame headers) {
            Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
            Channel connection = stream.parent();
            Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
            ChannelHandlerContext codecCtx = connection.pipeline().context(codec);
            if (path.startsWith("/reset/")) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.valueOf(path.substring(7))));
                return false;
            }
            if (path.equals("/refuse-once") && once.putIfAbsent(path, true) == null) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
                return false;
            }
            if (path.equals("/goaway-unprocessed-once") && once.putIfAbsent(path, true) == null) {
                codec.goAway(codecCtx, stream.stream().id() - 2, Http2Error.NO_ERROR.code(),
                        Unpooled.copiedBuffer("restarting", StandardCharsets.UTF_8), codecCtx.newPromise());
                codecCtx.flush();
                return false;
            }
            if (path.equals("/goaway")) {
                codec.goAway(codecCtx, stream.stream().id(), Http2Error.INTERNAL_ERROR.code(),
                        Unpooled.copiedBuffer("db pool exhausted", StandardCharsets.UTF_8), codecCtx.newPromise())
                        .addListener(ChannelFutureListener.CLOSE);
                codecCtx.flush();
                return false;
            }
            return true;
        }

        private void answer(ChannelHandlerContext ctx, Http2Headers requestTrailers) {
            if (path.startsWith("/slow")) {
                held.add(() -> respond(ctx, requestTrailers));
                return;
            }
            respond(ctx, requestTrailers);
        }

        private void respond(ChannelHandlerContext ctx, Http2Headers requestTrailers) {
            Http2Headers head = new DefaultHttp2Headers().status("200").set("content-type", "text/plain")
                    .set("x-origin-protocol", "h2");
            ctx.write(new DefaultHttp2HeadersFrame(head));
            ByteBuf content = Unpooled.copiedBuffer("h2 " + path + (body.length() > 0 ? " " + body : ""),
                    StandardCharsets.UTF_8);
            ctx.write(new DefaultHttp2DataFrame(content));
            Http2Headers trailers = new DefaultHttp2Headers().set("x-checksum", "c0ffee");
            if (requestTrailers != null && requestTrailers.get("x-upload-digest") != null) {
                trailers.set("x-echo-digest", requestTrailers.get("x-upload-digest"));
            }
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true));
        }
    }
}
