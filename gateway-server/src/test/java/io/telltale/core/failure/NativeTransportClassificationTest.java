package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Classifies what Netty's native epoll transport really raises; it lives here because only the server ships epoll. */
class NativeTransportClassificationTest {
    private static final InetAddress LOOPBACK = NetUtil.createInetAddressFromIpAddressString("127.0.0.1");
    private static EventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        Epoll.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void epollRefusalIsConnectionRefusedWhenThePortIsClosed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }

        Throwable cause = connectFailure(new InetSocketAddress(LOOPBACK, port));

        assertThat(FailureClassifier.classify(Phase.CONNECT, cause, false, new OriginHop("o", port, LOOPBACK)).code())
                .as("%s", cause).isEqualTo(FailureCode.ORIGIN_CONNECTION_REFUSED);
    }

    @Test
    void epollResetCarriesEconnresetWhenTheOriginAborts() throws Exception {
        Throwable cause = OriginResets.afterRequest(group, EpollSocketChannel.class);

        assertThat(cause).isInstanceOf(Errors.NativeIoException.class);
        Failure failure = FailureClassifier.classify(Phase.RESPONSE, cause, true, new OriginHop("o", 80, LOOPBACK));
        assertThat(failure.code()).isEqualTo(FailureCode.ORIGIN_CONNECTION_CLOSED);
        assertThat(failure.evidence().get("errno")).isEqualTo("ECONNRESET");
    }

    private static Throwable connectFailure(InetSocketAddress address) {
        ChannelFuture f = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address);
        assertThat(f.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        if (f.isSuccess()) {
            f.channel().close();
        }
        assertThat(f.cause()).as("connect to %s", address).isNotNull();
        return f.cause();
    }
}
