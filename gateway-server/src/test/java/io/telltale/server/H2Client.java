package io.telltale.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/** Netty's HTTP/2 client on loopback: h2 by ALPN over TLS (trusting a test root) or h2c with prior knowledge. */
final class H2Client implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /** One response, copied out of Netty's buffers, with its trailers (empty when none came). */
    record Response(int status, HttpHeaders headers, String body, HttpHeaders trailers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private H2Client(int port, SslContext tls, String sni) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), sni, port));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        SslHandler handler = channel.pipeline().get(SslHandler.class);
        if (handler != null) {
            handler.handshakeFuture().sync();
        }
    }

    /** Connects with HTTP/2 prior knowledge over plain TCP. */
    static H2Client cleartext(int port) throws InterruptedException {
        return new H2Client(port, null, null);
    }

    /** Connects over TLS, offering only {@code h2} by ALPN, with this SNI name, trusting only {@code root}. */
    static H2Client tls(int port, String sni, X509Certificate root) throws Exception {
        SslContext context = SslContextBuilder.forClient().trustManager(root)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new H2Client(port, context, sni);
    }

    /** Returns the protocol ALPN chose, or null without TLS. */
    String alpn() {
        SslHandler handler = channel.pipeline().get(SslHandler.class);
        return handler == null ? null : handler.applicationProtocol();
    }

    /** Returns a GET of this path at this host. */
    static FullHttpRequest get(String host, String path) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, host);
        return request;
    }

    /** Returns a POST of this body to this path at this host. */
    static FullHttpRequest post(String host, String path, byte[] body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, host).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return request;
    }

    /** Sends a request on a new stream and waits for its response. */
    Response send(FullHttpRequest request) throws Exception {
        return start(request).get(10, TimeUnit.SECONDS);
    }

    /** Sends a request on a new stream; the future fails when the stream ends without a response. */
    CompletableFuture<Response> start(FullHttpRequest request) throws InterruptedException {
        CompletableFuture<Response> response = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                                        response.complete(new Response(msg.status().code(), msg.headers().copy(),
                                                msg.content().toString(StandardCharsets.UTF_8),
                                                msg.trailingHeaders().copy()));
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        response.completeExceptionally(new IllegalStateException("stream closed"));
                                    }
                                });
                    }
                }).open().sync().getNow();
        stream.writeAndFlush(request);
        return response;
    }

    /** What a download received: the status, the headers, and the body's length and CRC-32 (its bytes not kept). */
    record Download(int status, HttpHeaders headers, long length, long crc) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** Sends a request on a new stream and counts its body as it arrives, for bodies too large to hold. */
    Download download(FullHttpRequest request, Duration timeout) throws Exception {
        CompletableFuture<Download> done = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                new SimpleChannelInboundHandler<HttpObject>() {
                                    private final CRC32 crc = new CRC32();
                                    private HttpResponse head;
                                    private long length;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                        if (msg instanceof HttpResponse response) {
                                            head = response;
                                        }
                                        if (msg instanceof HttpContent content) {
                                            length += content.content().readableBytes();
                                            crc.update(content.content().nioBuffer());
                                        }
                                        if (msg instanceof LastHttpContent && head != null) {
                                            done.complete(new Download(head.status().code(), head.headers().copy(),
                                                    length, crc.getValue()));
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        done.completeExceptionally(new IllegalStateException("stream closed after "
                                                + length + " bytes"));
                                    }
                                });
                    }
                }).open().sync().getNow();
        stream.writeAndFlush(request);
        return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
