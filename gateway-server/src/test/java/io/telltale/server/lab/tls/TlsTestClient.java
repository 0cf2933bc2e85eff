package io.telltale.server.lab.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.telltale.core.config.CertificateCheck;
import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.OriginTier;
import io.telltale.core.config.SniMode;
import io.telltale.core.failure.Failure;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsStage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Netty HTTPS client built the way the origin connector will: the handler from
 * {@link OriginTlsContexts#newHandler}, a classified failure on handshake or first read.
 */
final class TlsTestClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final OriginTlsContexts tls;

    TlsTestClient(OriginTlsContexts tls) {
        this.tls = tls;
    }

    /** What one exchange ended with: a body, or a classified failure (or neither when a read failed outside TLS). */
    record Outcome(String body, Failure failure, List<X509Certificate> chain, String alpn, Throwable raw) {
    }

    static OriginConfig origin(String host, String caBundle, String minTlsVersion, List<String> ciphers,
                               ChainOrderPolicy chainOrder, Duration handshakeTimeout) {
        return new OriginConfig(host, 80, 443, OriginProtocol.HTTPS_ONLY, SniMode.ORIGIN_HOST, Duration.ofSeconds(2),
                Duration.ofMillis(250), handshakeTimeout, Duration.ofSeconds(5), Duration.ofSeconds(30), 16, caBundle, minTlsVersion, ciphers,
                chainOrder, 1, CdnProfile.TELLTALE, "TLSv1.3", CertificateCheck.VERIFY, 1, OriginTier.ORIGIN);
    }

    static OriginConfig origin(String host, String caBundle) {
        return origin(host, caBundle, "TLSv1.2", List.of(), ChainOrderPolicy.STRICT, Duration.ofSeconds(5));
    }

    Outcome exchange(OriginConfig origin, String sniName, int port) throws Exception {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        // Kept here: a handshake that fails at once may close the channel and empty its pipeline before we look.
        AtomicReference<SslHandler> created = new AtomicReference<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        SslHandler ssl = tls.newHandler(c.alloc(), origin, sniName, port);
                        created.set(ssl);
                        c.pipeline().addLast(ssl, new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new Receiver(ssl, result));
                    }
                })
                .connect(new InetSocketAddress(NetUtil.LOCALHOST4, port)).sync().channel();
        SslHandler ssl = created.get();
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
                get.headers().set(HttpHeaderNames.HOST, sniName);
                ch.writeAndFlush(get);
            } else {
                fail(ssl, f.cause(), TlsStage.HANDSHAKE, result);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } finally {
            ch.close().syncUninterruptibly();
        }
    }

    private void fail(SslHandler ssl, Throwable cause, TlsStage stage, CompletableFuture<Outcome> result) {
        if (!result.isDone()) {
            Failure failure = tls.classify(ssl, cause, stage).orElse(null);
            result.complete(new Outcome(null, failure, tls.presentedChain(ssl), null, cause));
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Receiver extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final SslHandler ssl;
        private final CompletableFuture<Outcome> result;

        Receiver(SslHandler ssl, CompletableFuture<Outcome> result) {
            this.ssl = ssl;
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            result.complete(new Outcome(response.content().toString(StandardCharsets.US_ASCII), null,
                    tls.presentedChain(ssl), ssl.applicationProtocol(), null));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ssl, cause, ssl.handshakeFuture().isSuccess() ? TlsStage.FIRST_READ : TlsStage.HANDSHAKE, result);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ssl.handshakeFuture().isDone() && !result.isDone()) {
                if (ssl.handshakeFuture().isSuccess()) {
                    result.complete(new Outcome(null, null, tls.presentedChain(ssl), null, null));
                } else {
                    // The close can be seen here before the handshake's own listener runs: classify it the same way.
                    fail(ssl, ssl.handshakeFuture().cause(), TlsStage.HANDSHAKE, result);
                }
            }
            ctx.fireChannelInactive();
        }
    }
}
