package io.telltale.server.lab.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket origin on Netty's WebSocket server: {@code /} is a small page whose script opens {@code /ws} through
 * whatever served it and shows the echo. {@link OriginFault#WEBSOCKET_ECHO} accepts the upgrade on {@code /ws} and
 * echoes each text and binary message, except the text {@code close}, which makes it close the WebSocket itself; {@link OriginFault#WEBSOCKET_REFUSED} answers every upgrade with 403, or
 * with NNN for {@code /status/NNN}.
 */
final class WebSocketOrigin implements BrokenOrigin {
    /** The message that makes the echo origin close the WebSocket itself instead of echoing. */
    static final String CLOSE_REQUEST = "close";
    /** The path of the WebSocket endpoint. */
    static final String ENDPOINT = "/ws";
    private static final String STATUS_PATH = "/status/";
    private static final byte[] PAGE = """
            <!doctype html>
            <html lang="en"><meta charset="utf-8"><title>WebSocket through Telltale</title>
            <body style="font-family: sans-serif; max-width: 42rem; margin: 2rem auto">
            <h1>WebSocket through Telltale</h1>
            <p id="state">Opening a WebSocket to /ws through the gateway...</p>
            <pre id="log"></pre>
            <script>
            const state = document.getElementById('state');
            const log = text => document.getElementById('log').textContent += text + '\\n';
            const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
            ws.onopen = () => { state.textContent = 'Open: the origin switched protocols and the gateway tunnels the bytes.';
              ws.send('hello through the gateway'); };
            ws.onmessage = m => log('echo: ' + m.data);
            ws.onerror = () => { state.textContent = 'The WebSocket failed. Open the browser\\'s network tab: the /ws '
              + 'request shows the gateway\\'s status and X-Gateway-Error-Code; open /ws directly to read the explanation.'; };
            ws.onclose = e => log('closed, code ' + e.code);
            </script>
            </body></html>
            """.getBytes(StandardCharsets.UTF_8);

    private final OriginFault fault;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private Channel server;

    private WebSocketOrigin(OriginFault fault) {
        this.fault = fault;
    }

    static WebSocketOrigin start(OriginFault fault) {
        WebSocketOrigin origin = new WebSocketOrigin(fault);
        try {
            origin.server = new ServerBootstrap()
                    .group(origin.group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            origin.accepted.incrementAndGet();
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536));
                            if (fault == OriginFault.WEBSOCKET_ECHO) {
                                ch.pipeline().addLast(new WebSocketServerProtocolHandler(ENDPOINT), new Echo());
                            }
                            ch.pipeline().addLast(origin.new Pages());
                        }
                    })
                    .bind(new InetSocketAddress(NetUtil.LOCALHOST4, 0))
                    .syncUninterruptibly()
                    .channel();
            return origin;
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    @Override
    public OriginFault fault() {
        return fault;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public int acceptedConnections() {
        return accepted.get();
    }

    @Override
    public int receivedRequests() {
        return requests.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Sends each message back as it came. */
    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text && CLOSE_REQUEST.equals(text.text())) {
                text.release();
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "asked to close")).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame);
            } else {
                frame.release();
            }
        }
    }

    /** Answers what is not a WebSocket: the page, or the refusal of an upgrade. */
    private final class Pages extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            boolean upgrade = request.headers().contains(HttpHeaderNames.UPGRADE);
            HttpResponseStatus status = upgrade ? refusal(request.uri()) : HttpResponseStatus.OK;
            byte[] body = upgrade ? (status + ": this origin does not switch protocols\n").getBytes(StandardCharsets.US_ASCII)
                    : PAGE;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, upgrade ? "text/plain; charset=us-ascii" : "text/html; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (HttpUtil.isKeepAlive(request) && !upgrade) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private HttpResponseStatus refusal(String uri) {
            if (uri.startsWith(STATUS_PATH) && uri.length() == STATUS_PATH.length() + 3
                    && uri.substring(STATUS_PATH.length()).chars().allMatch(Character::isDigit)) {
                int code = Integer.parseInt(uri.substring(STATUS_PATH.length()));
                if (code >= 200 && code <= 599) {
                    return HttpResponseStatus.valueOf(code);
                }
            }
            return HttpResponseStatus.FORBIDDEN;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
