package io.telltale.server.lab.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Netty origin for the faults that accept connections. {@link OriginFault#HEALTHY} and
 * {@link OriginFault#ORIGIN_500} are correct HTTP/1.1 servers (keep-alive, Content-Length); the other
 * faults decode each request and, once it is complete, answer it in their broken way.
 */
final class HttpFaultOrigin implements BrokenOrigin {
    private static final String STATUS_PATH = "/status/";

    private final OriginFault fault;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private Channel server;

    private HttpFaultOrigin(OriginFault fault) {
        this.fault = fault;
    }

    static HttpFaultOrigin start(OriginFault fault) {
        HttpFaultOrigin origin = new HttpFaultOrigin(fault);
        try {
            origin.server = new ServerBootstrap()
                    .group(origin.group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            origin.accepted.incrementAndGet();
                            origin.configure(ch.pipeline());
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

    private void configure(ChannelPipeline pipeline) {
        if (fault == OriginFault.HEALTHY || fault == OriginFault.ORIGIN_500) {
            pipeline.addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(), new RequestHandler());
        } else {
            // No encoder: the broken answers are raw bytes written straight to the socket.
            pipeline.addLast(new HttpRequestDecoder(), new RequestHandler());
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
        // Shutting the loop down closes every accepted connection too.
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void answer(ChannelHandlerContext ctx, HttpMethod method, String uri) {
        switch (fault) {
            case HEALTHY, ORIGIN_500 -> ctx.writeAndFlush(response(method, uri));
            case SILENT -> {
                // Never answers; the connection stays open until the client gives up.
            }
            case CLOSE_BEFORE_RESPONSE -> ctx.close();
            case RESET_MID_BODY -> ctx.writeAndFlush(raw()).addListener((ChannelFutureListener) f -> {
                // SO_LINGER 0 turns close into an RST instead of a FIN.
                f.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                f.channel().close();
            });
            default -> ctx.writeAndFlush(raw()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private ByteBuf raw() {
        return Unpooled.wrappedBuffer(RawAnswers.of(fault));
    }

    private FullHttpResponse response(HttpMethod method, String uri) {
        HttpResponseStatus status = status(new QueryStringDecoder(uri).path());
        boolean bodiless = status.code() == 204 || status.code() == 304;
        byte[] body = bodiless ? new byte[0] : (status + " from the lab origin "
                + fault.name().toLowerCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.US_ASCII);
        boolean head = HttpMethod.HEAD.equals(method);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (!bodiless) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        if (fault == OriginFault.HEALTHY) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=60");
        }
        return response;
    }

    private HttpResponseStatus status(String path) {
        if (!path.startsWith(STATUS_PATH)) {
            return fault == OriginFault.HEALTHY ? HttpResponseStatus.OK : HttpResponseStatus.INTERNAL_SERVER_ERROR;
        }
        String code = path.substring(STATUS_PATH.length());
        if (code.length() == 3 && code.chars().allMatch(Character::isDigit)) {
            int value = Integer.parseInt(code);
            if (value >= 200 && value <= 599) {
                return HttpResponseStatus.valueOf(value);
            }
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    /** Counts request heads and answers each request once it is complete. */
    private final class RequestHandler extends ChannelInboundHandlerAdapter {
        private HttpMethod method;
        private String uri;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                    ctx.close();
                    return;
                }
                if (msg instanceof HttpRequest request) {
                    requests.incrementAndGet();
                    method = request.method();
                    uri = request.uri();
                }
                if (msg instanceof LastHttpContent) {
                    answer(ctx, method, uri);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
