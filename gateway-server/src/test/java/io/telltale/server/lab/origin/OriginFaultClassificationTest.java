package io.telltale.server.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fetches from each origin with Netty's HTTP client codec, as a gateway would, and classifies what goes wrong. The
 * WebSocket origins fail only when asked to upgrade: WebSocketTest asks them through the gateway.
 */
class OriginFaultClassificationTest {
    /** The timeout a fault is expected to hit; the others get a bound that a loaded machine never reaches. */
    private static final int SHORT_TIMEOUT_MILLIS = 300;
    private static final int LONG_TIMEOUT_MILLIS = 5000;
    private static EventLoopGroup nio;
    private static EventLoopGroup epoll;

    /** What one fetch ended with: a status, or a classified failure. */
    private record Outcome(int status, Failure failure) {
    }

    @BeforeAll
    static void startLoops() {
        nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        epoll = Epoll.isAvailable() ? new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()) : null;
    }

    @AfterAll
    static void stopLoops() {
        nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (epoll != null) {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OriginFault.class, mode = EnumSource.Mode.EXCLUDE, names = {"WEBSOCKET_ECHO", "WEBSOCKET_REFUSED"})
    void nioClientSeesTheExpectedFailureWhenFetchingFromTheOrigin(OriginFault fault) throws Exception {
        assertExpected(fault, fetch(fault, new Bootstrap().group(nio).channel(NioSocketChannel.class)));
    }

    @ParameterizedTest
    @EnumSource(value = OriginFault.class, mode = EnumSource.Mode.EXCLUDE, names = {"WEBSOCKET_ECHO", "WEBSOCKET_REFUSED"})
    void epollClientSeesTheExpectedFailureWhenFetchingFromTheOrigin(OriginFault fault) throws Exception {
        assumeTrue(epoll != null, "epoll is not available here");
        assertExpected(fault, fetch(fault, new Bootstrap().group(epoll).channel(EpollSocketChannel.class)));
    }

    private static void assertExpected(OriginFault fault, Outcome outcome) {
        if (fault.expected() == null) {
            assertThat(outcome.failure()).as("failure").isNull();
            assertThat(outcome.status()).isEqualTo(fault == OriginFault.HEALTHY ? 200 : 500);
        } else {
            assertThat(outcome.failure()).as("failure").isNotNull();
            assertThat(outcome.failure().code()).as("%s", outcome.failure()).isEqualTo(fault.expected());
        }
    }

    private static Outcome fetch(OriginFault fault, Bootstrap bootstrap) throws Exception {
        try (BrokenOrigin origin = BrokenOrigin.start(fault)) {
            OriginHop hop = new OriginHop("origin.test", origin.port(), origin.address().getAddress());
            int connectMillis = fault == OriginFault.BLACKHOLE ? SHORT_TIMEOUT_MILLIS : LONG_TIMEOUT_MILLIS;
            int readMillis = fault == OriginFault.SILENT ? SHORT_TIMEOUT_MILLIS : LONG_TIMEOUT_MILLIS;
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            ChannelFuture connect = bootstrap
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(readMillis, TimeUnit.MILLISECONDS),
                                    new HttpClientCodec(4096, 8192, 8192, true), new Recorder(hop, outcome));
                        }
                    })
                    .connect(origin.address());
            connect.awaitUninterruptibly(LONG_TIMEOUT_MILLIS + 1000);
            if (!connect.isSuccess()) {
                return new Outcome(0, FailureClassifier.classify(Phase.CONNECT, connect.cause(), false, hop));
            }
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                    Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, "origin.test");
            connect.channel().writeAndFlush(request);
            try {
                return outcome.get(LONG_TIMEOUT_MILLIS + 1000, TimeUnit.MILLISECONDS);
            } finally {
                connect.channel().close().syncUninterruptibly();
            }
        }
    }

    /** Completes with the response status at its end, or with the first failure classified. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        private final OriginHop hop;
        private final CompletableFuture<Outcome> outcome;
        private int status;

        Recorder(OriginHop hop, CompletableFuture<Outcome> outcome) {
            this.hop = hop;
            this.outcome = outcome;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                    outcome.complete(new Outcome(status,
                            FailureClassifier.classifyDecoderFailure(o.decoderResult().cause(), status != 0, hop)));
                    ctx.close();
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    status = response.status().code();
                }
                if (msg instanceof LastHttpContent) {
                    outcome.complete(new Outcome(status, null));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            outcome.complete(new Outcome(status, FailureClassifier.classify(Phase.RESPONSE, cause, status != 0, hop)));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // The client codec raises PrematureChannelClosureException only after passing channelInactive on.
            ctx.executor().execute(() -> outcome.complete(new Outcome(status, null)));
            ctx.fireChannelInactive();
        }
    }
}
