package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
    private static final InetAddress LOOPBACK = NetUtil.createInetAddressFromIpAddressString("127.0.0.1");
    private static final OriginHop ORIGIN = new OriginHop("origin.test", 8081, LOOPBACK);
    private static EventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Stream<Arguments> exceptions() {
        Failure dns = Failure.of(FailureCode.NON_S3_ORIGIN_DNS_ERROR, "NXDOMAIN", Evidence.empty());
        return Stream.of(
                Arguments.of(Phase.CONNECT, new ConnectException("Connection refused"), FailureCode.ORIGIN_CONNECTION_REFUSED),
                // The message is never read: a refusal that says "No route" is still a refusal by type.
                Arguments.of(Phase.CONNECT, new ConnectException("No route to host"), FailureCode.ORIGIN_CONNECTION_REFUSED),
                Arguments.of(Phase.CONNECT, new ConnectTimeoutException("connection timed out"), FailureCode.ORIGIN_CONNECT_TIMEOUT),
                Arguments.of(Phase.CONNECT, new NoRouteToHostException(), FailureCode.ORIGIN_UNREACHABLE),
                Arguments.of(Phase.CONNECT, new SocketException("Network is unreachable"), FailureCode.ORIGIN_UNREACHABLE),
                Arguments.of(Phase.RESPONSE, new SocketException("Connection reset"), FailureCode.ORIGIN_CONNECTION_CLOSED),
                Arguments.of(Phase.RESPONSE, new IOException("Broken pipe"), FailureCode.ORIGIN_CONNECTION_CLOSED),
                Arguments.of(Phase.RESPONSE, new ClosedChannelException(), FailureCode.ORIGIN_CONNECTION_CLOSED),
                Arguments.of(Phase.CONNECT, new ClosedChannelException(), FailureCode.ORIGIN_CONNECTION_CLOSED),
                Arguments.of(Phase.RESPONSE, new PrematureChannelClosureException("closed"), FailureCode.ORIGIN_CONNECTION_CLOSED),
                Arguments.of(Phase.RESPONSE, new TooLongHttpHeaderException("too big"), FailureCode.ORIGIN_HEADER_TOO_BIG),
                Arguments.of(Phase.RESPONSE, new TooLongHttpLineException("too long"), FailureCode.ORIGIN_HEADER_TOO_BIG),
                Arguments.of(Phase.RESPONSE, new DecoderException("bad message"), FailureCode.ORIGIN_INVALID_RESPONSE),
                Arguments.of(Phase.RESPONSE, OriginResponseTimeoutException.INSTANCE, FailureCode.ORIGIN_RESPONSE_TIMEOUT),
                Arguments.of(Phase.RESPONSE, ReadTimeoutException.INSTANCE, FailureCode.ORIGIN_RESPONSE_TIMEOUT),
                Arguments.of(Phase.TLS, new DecoderException(new SSLHandshakeException("no cipher")), FailureCode.ORIGIN_SSL_HANDSHAKE_FAILED),
                Arguments.of(Phase.CONNECT, new CompletionException(new ConnectException("refused")), FailureCode.ORIGIN_CONNECTION_REFUSED),
                Arguments.of(Phase.DNS, new CompletionException(dns.toException()), FailureCode.NON_S3_ORIGIN_DNS_ERROR),
                Arguments.of(Phase.RESPONSE, new IllegalStateException("bug"), FailureCode.GATEWAY_INTERNAL_ERROR));
    }

    @ParameterizedTest(name = "{1} in {0} is {2}")
    @MethodSource("exceptions")
    void exceptionIsClassifiedByTypeWhenRaised(Phase phase, Throwable cause, FailureCode expected) {
        Failure failure = FailureClassifier.classify(phase, cause, false, ORIGIN);

        assertThat(failure.code()).isEqualTo(expected);
        assertThat(failure.detail()).isNotBlank();
    }

    @Test
    void classifiedFailureCarriesTheOriginAndTheRealExceptionWhenBuilt() {
        Failure failure = FailureClassifier.classify(Phase.CONNECT, new ConnectException("refused"), false, ORIGIN);

        assertThat(failure.evidence().facts())
                .containsEntry("origin.host", "origin.test")
                .containsEntry("origin.port", 8081)
                .containsEntry("origin.address", "127.0.0.1")
                .containsEntry("exception", "java.net.ConnectException")
                .containsEntry("responseStarted", false);
        assertThat(failure.remediation()).anyMatch(r -> r.contains("nc -vz 127.0.0.1 8081"));
        assertThat(failure.detail()).contains("origin.test:8081").contains("127.0.0.1");
    }

    @Test
    void failureExceptionPassesThroughUnchangedWhenAlreadyClassified() {
        Failure tls = Failure.of(FailureCode.ORIGIN_SSL_CERTIFICATE_EXPIRED, "expired", Evidence.empty());

        assertThat(FailureClassifier.classify(Phase.TLS, new DecoderException(tls.toException()), false, ORIGIN)).isSameAs(tls);
    }

    @Test
    void timeoutAfterTheResponseStartedIsAReadTimeoutWhenTheBodyStalls() {
        Failure failure = FailureClassifier.classify(Phase.RESPONSE, OriginResponseTimeoutException.INSTANCE, true, ORIGIN);

        assertThat(failure.code()).isEqualTo(FailureCode.ORIGIN_RESPONSE_TIMEOUT);
        assertThat(failure.proxyStatusError()).isEqualTo("connection_read_timeout");
        assertThat(failure.evidence().get("responseStarted")).isEqualTo(true);
    }

    @Test
    void sharedTimeoutHasNoStackWhenRaised() {
        assertThat(OriginResponseTimeoutException.INSTANCE.getStackTrace()).isEmpty();
    }

    @Test
    void connectToAClosedLoopbackPortIsRefusedWhenConnecting() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }

        Throwable cause = connect(new InetSocketAddress(LOOPBACK, port), 2000);

        assertThat(classifyConnect(cause, port).code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED);
    }

    @Test
    void connectToAFullListenBacklogTimesOutWhenSynsAreDropped() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            List<Socket> fillers = new ArrayList<>();
            try {
                // Linux drops SYNs once the accept queue is full; the server never accepts.
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(new InetSocketAddress(LOOPBACK, s.getLocalPort()), 300);
                    } catch (IOException expected) {
                        break;
                    }
                }
                Throwable cause = connect(new InetSocketAddress(LOOPBACK, s.getLocalPort()), 300);

                assertThat(classifyConnect(cause, s.getLocalPort()).code()).isEqualTo(FailureCode.ORIGIN_CONNECT_TIMEOUT);
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void resetFromTheOriginIsAClosedConnectionWhenReadingTheResponse() throws Exception {
        Throwable cause = OriginResets.afterRequest(group, NioSocketChannel.class);

        assertThat(FailureClassifier.classify(Phase.RESPONSE, cause, false, ORIGIN).code())
                .as("%s", cause).isEqualTo(FailureCode.ORIGIN_CONNECTION_CLOSED);
    }

    @Test
    void oversizedOriginHeaderIsHeaderTooBigWhenDecoded() {
        String response = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(2000) + "\r\nContent-Length: 0\r\n\r\n";

        Throwable cause = decoderFailure(new HttpClientCodec(4096, 1024, 8192), response);

        assertThat(cause).isInstanceOf(TooLongHttpHeaderException.class);
        assertThat(FailureClassifier.classifyDecoderFailure(cause, false, ORIGIN).code()).isEqualTo(FailureCode.ORIGIN_HEADER_TOO_BIG);
    }

    @Test
    void badStatusLineIsAnInvalidResponseWhenDecoded() {
        Throwable cause = decoderFailure(new HttpClientCodec(), "HTTP/1.1 abc Broken\r\nContent-Length: 0\r\n\r\n");

        assertThat(FailureClassifier.classifyDecoderFailure(cause, false, ORIGIN).code()).isEqualTo(FailureCode.ORIGIN_INVALID_RESPONSE);
    }

    @Test
    void badChunkSizeIsAnInvalidResponseWhenDecoded() {
        Throwable cause = decoderFailure(new HttpClientCodec(),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");

        Failure failure = FailureClassifier.classifyDecoderFailure(cause, true, ORIGIN);
        assertThat(failure.code()).isEqualTo(FailureCode.ORIGIN_INVALID_RESPONSE);
        assertThat(failure.evidence().get("responseStarted")).isEqualTo(true);
    }

    @Test
    void closeBeforeAnyResponseIsAClosedConnectionWhenTheCodecNotices() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(4096, 8192, 8192, true));
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        releaseAll(channel.outboundMessages());

        channel.close();
        Throwable cause = catchThrowable(channel::checkException);

        assertThat(cause).isInstanceOf(PrematureChannelClosureException.class);
        assertThat(FailureClassifier.classify(Phase.RESPONSE, cause, false, ORIGIN).code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_CLOSED);
    }

    private static Failure classifyConnect(Throwable cause, int port) {
        return FailureClassifier.classify(Phase.CONNECT, cause, false, new OriginHop("origin.test", port, LOOPBACK));
    }

    private static Throwable connect(InetSocketAddress address, int timeoutMillis) {
        ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        assertThat(f.awaitUninterruptibly(timeoutMillis + 5000L)).isTrue();
        if (f.isSuccess()) {
            f.channel().close();
        }
        assertThat(f.cause()).as("connect to %s", address).isNotNull();
        return f.cause();
    }

    private static Throwable decoderFailure(HttpClientCodec codec, String response) {
        EmbeddedChannel channel = new EmbeddedChannel(codec);
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        releaseAll(channel.outboundMessages());
        channel.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII));
        Throwable cause = null;
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            if (cause == null && msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                cause = o.decoderResult().cause();
            }
            ReferenceCountUtil.release(msg);
        }
        channel.finishAndReleaseAll();
        assertThat(cause).as("a decoder failure for %s", response).isNotNull();
        return cause;
    }

    private static void releaseAll(java.util.Queue<Object> messages) {
        for (Object m; (m = messages.poll()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }
}
