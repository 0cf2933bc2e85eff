package io.telltale.server.lab.tls;

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
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLException;

/**
 * A small TLS origin on 127.0.0.1 (port chosen by the OS) answering {@code HTTP/1.1 200} after the
 * handshake, broken in the one way its {@link TlsFault} says.
 */
public final class TlsOrigin implements AutoCloseable {
    private static final byte[] PLAIN_HTTP_ANSWER =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final TlsFault fault;
    private final SslContext context;
    private final List<List<String>> requestedServerNames = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private EventLoopGroup group;
    private Channel server;

    /**
     * Prepares an origin for these names (DNS names or IP literals) signed by the lab PKI.
     *
     * @throws SSLException when the server context cannot be built
     */
    public TlsOrigin(LabPki pki, TlsFault fault, String... names) throws SSLException {
        this.fault = fault;
        this.context = serverContext(pki, fault, names);
    }

    /** Binds 127.0.0.1 on a free port and starts answering. */
    public TlsOrigin start() throws InterruptedException {
        return start(new InetSocketAddress(NetUtil.LOCALHOST4, 0));
    }

    /** Binds this loopback address and port (a fixed port, such as 8443 on an address of 127.0.0.0/8) and starts answering. */
    public TlsOrigin start(InetSocketAddress address) throws InterruptedException {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("address: " + address + " (expected: a loopback address)");
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        configure(ch);
                    }
                })
                .bind(address)
                .sync()
                .channel();
        return this;
    }

    /** Returns the port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns how many connections it has accepted. */
    public int accepted() {
        return accepted.get();
    }

    /** Returns the fault it shows. */
    public TlsFault fault() {
        return fault;
    }

    /** Returns the SNI names received, one list per completed handshake, oldest first. */
    public List<List<String>> requestedServerNames() {
        return List.copyOf(requestedServerNames);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void configure(SocketChannel ch) {
        accepted.incrementAndGet();
        switch (fault) {
            case CLOSE_ON_ACCEPT -> ch.close();
            case SILENT -> ch.pipeline().addLast(new Discard());
            case PLAIN_HTTP -> ch.pipeline().addLast(new PlainHttpAnswer());
            case SNI_REQUIRED -> ch.pipeline().addLast(new NamedSitesOnly(context), new HttpServerCodec(),
                    new HttpObjectAggregator(8192), new Answer());
            default -> ch.pipeline().addLast(context.newHandler(ch.alloc()), new HttpServerCodec(),
                    new HttpObjectAggregator(8192), new Answer());
        }
    }

    private static SslContext serverContext(LabPki pki, TlsFault fault, String[] names) throws SSLException {
        LabCertificate certificate = switch (fault) {
            case EXPIRED -> pki.expiredLeaf(names);
            case EXPIRES_SOON -> pki.expiringLeaf(names);
            case NOT_YET_VALID -> pki.notYetValidLeaf(names);
            case WRONG_HOST -> pki.leaf("not-" + names[0]);
            case SELF_SIGNED -> pki.selfSigned(names);
            case UNTRUSTED_ROOT -> pki.untrustedLeaf(names);
            case INCOMPLETE_CHAIN -> pki.leaf(names).withoutIntermediates();
            case OUT_OF_ORDER -> pki.outOfOrderLeaf(names);
            case BAD_SIGNATURE -> pki.badSignatureLeaf(names);
            case EXPIRED_INTERMEDIATE -> pki.expiredIntermediateLeaf(names);
            case CLIENT_AUTH_ONLY -> pki.clientAuthOnlyLeaf(names);
            case WEAK_KEY -> pki.weakKeyLeaf(names);
            case SHA1_SIGNATURE -> pki.sha1Leaf(names);
            default -> pki.leaf(names);
        };
        SslContextBuilder b = SslContextBuilder.forServer(new FixedKeyManager(certificate)).sslProvider(SslProvider.JDK);
        switch (fault) {
            case TLS12_ONLY -> b.protocols("TLSv1.2");
            case TLS13_ONLY -> b.protocols("TLSv1.3");
            case NO_SHARED_CIPHER -> b.protocols("TLSv1.2").ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
            case CLIENT_CERT_TLS12 -> b.protocols("TLSv1.2").clientAuth(ClientAuth.REQUIRE).trustManager(pki.root());
            case CLIENT_CERT_TLS13 -> b.protocols("TLSv1.3").clientAuth(ClientAuth.REQUIRE).trustManager(pki.root());
            default -> b.protocols("TLSv1.3", "TLSv1.2");
        }
        return b.build();
    }

    /** Answers every request with a small 200 and records the SNI of each handshake. */
    private final class Answer extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                List<String> names = new java.util.ArrayList<>();
                if (ssl.engine().getSession() instanceof ExtendedSSLSession session) {
                    for (SNIServerName n : session.getRequestedServerNames()) {
                        names.add(n instanceof SNIHostName h ? h.getAsciiName() : n.toString());
                    }
                }
                requestedServerNames.add(List.copyOf(names));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean request = msg instanceof HttpRequest;
            ReferenceCountUtil.release(msg);
            if (request) {
                ByteBuf body = Unpooled.copiedBuffer("ok from lab TLS origin (" + fault + ")\n", StandardCharsets.US_ASCII);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                ctx.writeAndFlush(response);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Hands a ClientHello that names a site to TLS; answers one without SNI with a fatal unrecognized_name alert. */
    private static final class NamedSitesOnly extends AbstractSniHandler<SslContext> {
        private static final byte[] UNRECOGNIZED_NAME = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

        private final SslContext context;

        NamedSitesOnly(SslContext context) {
            this.context = context;
        }

        @Override
        protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
            return ctx.executor().newSucceededFuture(hostname == null ? null : context);
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<SslContext> future) {
            if (future.getNow() == null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().replace(this, null, future.getNow().newHandler(ctx.alloc()));
        }
    }

    /** Reads and drops everything, never answering. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Answers the first bytes (a ClientHello) as an HTTP server would, then closes. */
    private static final class PlainHttpAnswer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_HTTP_ANSWER)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
