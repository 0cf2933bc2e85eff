package io.telltale.server.lab.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.Socket;
import io.netty.util.NetUtil;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OriginUnreachableTest {
    /** Linux's IPPROTO_IPV6 and IPV6_V6ONLY, which Netty does not name. */
    private static final IntegerUnixChannelOption IPV6_V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

    @Test
    void connectIsUnreachableWhenTheNamespaceRoutesTheRangeNowhere() throws Exception {
        Optional<String> why = UnreachableNamespace.whyUnavailable();
        why.ifPresent(reason -> System.err.println("OriginUnreachableTest: namespace test skipped: " + reason));
        assumeTrue(why.isEmpty(), () -> "namespace test skipped: " + why.orElseThrow());
        UnreachableNamespace made;
        try {
            made = UnreachableNamespace.create();
        } catch (IOException e) {
            // Root without CAP_SYS_ADMIN (some containers) cannot add a namespace: say so and skip.
            System.err.println("OriginUnreachableTest: namespace test skipped: " + e.getMessage());
            org.junit.jupiter.api.Assumptions.abort("a network namespace could not be made here: " + e.getMessage());
            return;
        }
        String name;
        try (UnreachableNamespace ns = made) {
            name = ns.name();
            assertThat(Path.of("/run/netns", name)).exists();

            CommandResult result = ns.execJava(Duration.ofSeconds(30), UnreachableProbeMain.class, "2000",
                    "127.77.0.1:8080", "127.78.0.1:8080", "127.0.0.1:8080");

            assertThat(result.succeeded()).as("%s", result).isTrue();
            Map<String, ProbeOutcome> outcomes = ProbeOutcome.parse(result.output()).stream()
                    .collect(Collectors.toMap(o -> o.transport() + " " + o.target(), Function.identity()));
            assertThat(outcomes).as("%s", result).hasSize(Epoll.isAvailable() ? 6 : 3);
            // NIO carries the errno as its strerror text in the message: EHOSTUNREACH, then ENETUNREACH.
            assertUnreachable(outcomes.get("nio 127.77.0.1:8080"), "NoRouteToHostException", "No route to host");
            assertUnreachable(outcomes.get("nio 127.78.0.1:8080"), "SocketException", "Network is unreachable");
            // The rest of 127.0.0.0/8 is still local: nothing listens on the port, so it is refused.
            assertThat(outcomes.get("nio 127.0.0.1:8080").code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.code());
            if (Epoll.isAvailable()) {
                // Netty's epoll raises a NoRouteToHostException without a message for both errnos.
                assertUnreachable(outcomes.get("epoll 127.77.0.1:8080"), "NoRouteToHostException", "");
                assertUnreachable(outcomes.get("epoll 127.78.0.1:8080"), "NoRouteToHostException", "");
                assertThat(outcomes.get("epoll 127.0.0.1:8080").code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED.code());
            }
        }
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }

    @Test
    void epollConnectIsUnreachableWhenAnIpv6OnlySocketIsAskedForAnIpv4LoopbackAddress() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assumeTrue(Socket.isIPv6Preferred(), "Netty's native sockets are not IPv6 here");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        // A listener on the target: had a SYN been sent, the connect would have succeeded.
        try (ServerSocket listener = new ServerSocket(0, 1, NetUtil.LOCALHOST4)) {
            InetSocketAddress target = (InetSocketAddress) listener.getLocalSocketAddress();
            // Linux's tcp_v6_connect refuses a v4-mapped destination on an IPv6-only socket with
            // ENETUNREACH before routing anything: a real kernel errno for a loopback address, no root needed.
            ChannelFuture connect = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(IPV6_V6ONLY, 1)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(target);
            assertThat(connect.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();

            assertThat(connect.cause()).isInstanceOf(NoRouteToHostException.class);
            Failure failure = FailureClassifier.classify(Phase.CONNECT, connect.cause(), false,
                    new OriginHop("origin.test", target.getPort(), target.getAddress()));
            assertThat(failure.code()).isEqualTo(FailureCode.ORIGIN_UNREACHABLE);
            assertThat(failure.code().status()).isEqualTo(523);
            connect.channel().close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Netty annotates connect exceptions with the address, in subclasses named {@code Annotated<type>}. */
    private static void assertUnreachable(ProbeOutcome outcome, String exceptionType, String messageStart) {
        assertThat(outcome).isNotNull();
        assertThat(outcome.code()).as("%s", outcome).isEqualTo(FailureCode.ORIGIN_UNREACHABLE.code());
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(523);
        assertThat(outcome.exception()).as("%s", outcome).endsWith("$Annotated" + exceptionType);
        assertThat(outcome.message()).as("%s", outcome).startsWith(messageStart);
    }
}
