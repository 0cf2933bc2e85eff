package io.telltale.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Netty WebSocket client for tests: connects through the gateway, sends messages and queues what comes back. */
final class WsClient implements AutoCloseable {
    private final Channel channel;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    private WsClient(Channel channel) {
        this.channel = channel;
    }

    /** Opens a WebSocket to {@code ws://127.0.0.1:port/path} and waits for the handshake's end. */
    static WsClient open(EventLoopGroup group, int port, String path) throws Exception {
        return open(group, port, "127.0.0.1", path);
    }

    /** Opens a WebSocket to {@code ws://host:port/path}, connecting to 127.0.0.1, and waits for the handshake. */
    static WsClient open(EventLoopGroup group, int port, String host, String path) throws Exception {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + host + ":" + port + path))
                .handshakeTimeoutMillis(5000)
                .build();
        WsClient[] client = new WsClient[1];
        Promise<Void>[] handshake = newPromiseHolder();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handshake[0] = ch.eventLoop().newPromise();
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new WebSocketClientProtocolHandler(config), new Frames(handshake[0], client));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        client[0] = new WsClient(ch);
        handshake[0].await(10, TimeUnit.SECONDS);
        if (!handshake[0].isSuccess()) {
            ch.close();
            throw new IllegalStateException("handshake failed", handshake[0].cause());
        }
        return client[0];
    }

    @SuppressWarnings("unchecked")
    private static Promise<Void>[] newPromiseHolder() {
        return new Promise[1];
    }

    /** Sends a text message. */
    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Sends a binary message. */
    void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    /** Returns the next message that came back (binary ones as UTF-8 text), or null after 10 s. */
    String next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    /** Starts the closing handshake from this side. */
    void sendClose() {
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** Queues text and binary messages and completes the handshake promise. */
    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Promise<Void> handshake;
        private final WsClient[] client;

        Frames(Promise<Void> handshake, WsClient[] client) {
            this.handshake = handshake;
            this.client = client;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.trySuccess(null);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                handshake.tryFailure(new IllegalStateException("handshake timed out"));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                client[0].received.add(text.text());
            } else if (frame instanceof BinaryWebSocketFrame binary) {
                client[0].received.add(binary.content().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.tryFailure(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.tryFailure(new IllegalStateException("closed before the handshake completed"));
            ctx.fireChannelInactive();
        }
    }
}
