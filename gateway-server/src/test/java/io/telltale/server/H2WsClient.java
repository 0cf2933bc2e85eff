package io.telltale.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Netty's HTTP/2 client (frame codec) speaking WebSocket by extended CONNECT (RFC 8441): one connection, h2c with
 * prior knowledge or h2 by ALPN, and WebSocket frames on a stream through Netty's WebSocket13 encoder and decoder.
 */
final class H2WsClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
    private final Channel channel;

    private H2WsClient(int port, SslContext tls, String sni) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), sni, port));
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new SimpleChannelInboundHandler<Http2SettingsFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Http2SettingsFrame msg) {
                                        settings.complete(msg.settings());
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        SslHandler handler = channel.pipeline().get(SslHandler.class);
        if (handler != null) {
            handler.handshakeFuture().sync();
        }
    }

    /** Connects with HTTP/2 prior knowledge over plain TCP. */
    static H2WsClient cleartext(int port) throws InterruptedException {
        return new H2WsClient(port, null, null);
    }

    /** Connects over TLS, offering only {@code h2} by ALPN, with this SNI name, trusting only {@code root}. */
    static H2WsClient tls(int port, String sni, X509Certificate root) throws Exception {
        SslContext context = SslContextBuilder.forClient().trustManager(root)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new H2WsClient(port, context, sni);
    }

    /** Returns the gateway's first SETTINGS frame. */
    Http2Settings settings() throws Exception {
        return settings.get(10, TimeUnit.SECONDS);
    }

    /** Returns the pseudo-header fields of an extended CONNECT for WebSocket to this authority and path. */
    static Http2Headers connect(String authority, String path) {
        return new DefaultHttp2Headers().method("CONNECT").scheme("http").authority(authority).path(path)
                .set(Http2Headers.PseudoHeaderName.PROTOCOL.value(), "websocket").set("sec-websocket-version", "13");
    }

    /** Opens a stream with these request headers; the head of the answer completes {@link Stream#head()}. */
    Stream open(Http2Headers headers, boolean webSocket) throws InterruptedException {
        Stream stream = new Stream(webSocket);
        Http2StreamChannel ch = new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(stream.frames);
                if (webSocket) {
                    ch.pipeline().addLast(new WebSocket13FrameDecoder(false, true, 1 << 20),
                            new WebSocket13FrameEncoder(true), stream.messages);
                }
            }
        }).open().sync().getNow();
        stream.channel = ch;
        ch.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
        return stream;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One stream: its head, its body before a 200 or its WebSocket messages after one, and how it ended. */
    static final class Stream {
        private final CompletableFuture<Http2Headers> head = new CompletableFuture<>();
        private final CompletableFuture<String> ended = new CompletableFuture<>();
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder body = new StringBuilder();
        private final AtomicLong dataBytes = new AtomicLong();
        private final boolean webSocket;
        private final Frames frames = new Frames();
        private final Messages messages = new Messages();
        private volatile Http2StreamChannel channel;

        private Stream(boolean webSocket) {
            this.webSocket = webSocket;
        }

        /** Returns the answer's head (its {@code :status} and fields). */
        Http2Headers head() throws Exception {
            return head.get(10, TimeUnit.SECONDS);
        }

        /** Returns how the stream ended: {@code END_STREAM} or {@code RST_STREAM <error>}, waiting up to 10 s. */
        String ended() throws Exception {
            return ended.get(10, TimeUnit.SECONDS);
        }

        /** Returns whether the stream ended already. */
        boolean isEnded() {
            return ended.isDone();
        }

        /** Returns the body received, for an answer other than 200. */
        String body() {
            synchronized (body) {
                return body.toString();
            }
        }

        /** Returns the bytes of DATA frames received after a 200. */
        long dataBytes() {
            return dataBytes.get();
        }

        /** Returns the next text message (binary ones as UTF-8, a close as {@code close <code>}), or null after 10 s. */
        String next() throws InterruptedException {
            return received.poll(10, TimeUnit.SECONDS);
        }

        Http2StreamChannel channel() {
            return channel;
        }

        void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        void sendBinary(byte[] bytes) {
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
        }

        void sendClose() {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
        }

        /** Sends bytes as they are, in one DATA frame, optionally ending the client's side of the stream. */
        void sendRaw(String text, boolean endStream) {
            channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII),
                    endStream));
        }

        void reset() {
            channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }

        /** Turns the stream's HTTP/2 frames into bytes for the WebSocket decoder, and WebSocket bytes into DATA. */
        private final class Frames extends ChannelDuplexHandler {
            private boolean tunnel;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2HeadersFrame headers) {
                    String status = String.valueOf(headers.headers().status());
                    tunnel = "200".equals(status);
                    head.complete(headers.headers());
                    if (headers.isEndStream()) {
                        ended.complete("END_STREAM");
                    }
                } else if (msg instanceof Http2DataFrame data) {
                    if (tunnel) {
                        dataBytes.addAndGet(data.content().readableBytes());
                    }
                    if (tunnel && webSocket) {
                        ctx.fireChannelRead(data.content().retain());
                    } else if (!tunnel) {
                        synchronized (body) {
                            body.append(data.content().toString(StandardCharsets.UTF_8));
                        }
                    }
                    if (data.isEndStream()) {
                        ended.complete("END_STREAM");
                    }
                    data.release();
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof Http2ResetFrame reset) {
                    ended.complete("RST_STREAM " + Http2Error.valueOf(reset.errorCode()));
                }
                ReferenceCountUtil.release(evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                head.completeExceptionally(new IllegalStateException("stream closed without an answer"));
                ended.complete("closed");
                ctx.fireChannelInactive();
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg instanceof ByteBuf buf ? new DefaultHttp2DataFrame(buf) : msg, promise);
            }
        }

        /** Queues the WebSocket messages that came. */
        private final class Messages extends SimpleChannelInboundHandler<WebSocketFrame> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame text) {
                    received.add(text.text());
                } else if (frame instanceof BinaryWebSocketFrame binary) {
                    received.add(binary.content().toString(StandardCharsets.UTF_8));
                } else if (frame instanceof CloseWebSocketFrame close) {
                    received.add("close " + close.statusCode());
                }
            }
        }
    }
}
