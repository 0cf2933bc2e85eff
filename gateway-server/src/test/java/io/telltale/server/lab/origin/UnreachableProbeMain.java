package io.telltale.server.lab.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Connects to each target with Netty's NIO and, where present, epoll transports, classifies each failure as
 * the gateway would and prints one {@link ProbeOutcome} line per attempt; run inside an
 * {@link UnreachableNamespace} it shows the real 523.
 *
 * <p>Usage: {@code UnreachableProbeMain TIMEOUT_MILLIS IP:PORT...}
 */
public final class UnreachableProbeMain {
    private UnreachableProbeMain() {
    }

    /** Probes the targets given on the command line and prints the outcomes. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: UnreachableProbeMain TIMEOUT_MILLIS IP:PORT...");
            System.exit(2);
        }
        Duration timeout = Duration.ofMillis(Long.parseLong(args[0]));
        List<InetSocketAddress> targets = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            targets.add(target(args[i]));
        }
        for (ProbeOutcome outcome : probe(targets, timeout)) {
            System.out.println(outcome.line());
        }
    }

    /** Connects to each target with each available transport and returns what happened, NIO first. */
    public static List<ProbeOutcome> probe(List<InetSocketAddress> targets, Duration timeout) {
        List<ProbeOutcome> outcomes = new ArrayList<>(probe("nio", NioIoHandler.newFactory(), NioSocketChannel.class,
                targets, timeout));
        if (Epoll.isAvailable()) {
            outcomes.addAll(probe("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class, targets, timeout));
        }
        return outcomes;
    }

    private static List<ProbeOutcome> probe(String transport, IoHandlerFactory handlers, Class<? extends Channel> channel,
            List<InetSocketAddress> targets, Duration timeout) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
        try {
            List<ProbeOutcome> outcomes = new ArrayList<>();
            for (InetSocketAddress target : targets) {
                ChannelFuture connect = new Bootstrap().group(group).channel(channel)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                        .handler(new ChannelInboundHandlerAdapter())
                        .connect(target);
                connect.awaitUninterruptibly(timeout.toMillis() + 1000);
                outcomes.add(outcome(transport, target, connect));
                connect.channel().close().syncUninterruptibly();
            }
            return outcomes;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static ProbeOutcome outcome(String transport, InetSocketAddress target, ChannelFuture connect) {
        String where = NetUtil.toSocketAddressString(target);
        if (connect.isSuccess()) {
            return new ProbeOutcome(transport, where, "connected", 0, "-", "-", "-");
        }
        InetAddress address = target.getAddress();
        Failure failure = FailureClassifier.classify(Phase.CONNECT, connect.cause(), false,
                new OriginHop(address.getHostAddress(), target.getPort(), address));
        Evidence evidence = failure.evidence();
        return new ProbeOutcome(transport, where, failure.code().code(), failure.code().status(),
                text(evidence.get("exception")), text(evidence.get("errno")), text(evidence.get("message")));
    }

    private static String text(Object value) {
        return Objects.toString(value, "-");
    }

    private static InetSocketAddress target(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon).replace("[", "").replace("]", "");
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
        if (address == null) {
            throw new IllegalArgumentException("target: " + text + " (expected: an IP literal and a port, like 127.77.0.1:8080)");
        }
        return new InetSocketAddress(address, Integer.parseInt(text.substring(colon + 1)));
    }
}
