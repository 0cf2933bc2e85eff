package io.telltale.core.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.PortLanguage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * After a refused connect, asks whether the ports next to the refused one answer: the origin's port for the other
 * scheme, and for a refused 443 the usual alternate 8443, with a TLS ClientHello so that "answers TLS" is what the
 * bytes say. Each refused address and port is probed at most once per {@link #INTERVAL}; failures in between
 * reuse that probe's answers. A probe goes only to the address the refused connect went to, which the address
 * guard (allowed networks, embedded IPv4) already allowed.
 */
final class PortProbes {
    /** How long one probe's answers stand for a refused address and port. */
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final int TLS_PORT = 443;
    static final int TLS_ALTERNATE = 8443;

    private record Answers(String otherPort, String alternate, boolean alternateTls) {
    }

    private record Probe(CompletableFuture<Answers> answers, long startedNanos) {
    }

    /** A refused address and port, with the other scheme's port whose answer the probe gives. */
    private record Refused(InetSocketAddress address, int other) {
    }

    private final Class<? extends SocketChannel> channelType;
    private final LongSupplier nanoClock;
    private final long timeoutMillis;
    private final Map<Refused, Probe> recent = new ConcurrentHashMap<>();
    private volatile SslContext helloContext;

    PortProbes(Class<? extends SocketChannel> channelType, LongSupplier nanoClock, long timeoutMillis) {
        this.channelType = channelType;
        this.nanoClock = nanoClock;
        this.timeoutMillis = timeoutMillis;
    }

    /** Returns the refused connect's failure with what the neighbouring ports answered. */
    CompletableFuture<Failure> explain(EventLoop loop, InetAddress address, OriginTarget target, Failure failure) {
        String tried = (target.tls() ? "https" : "http") + " on port " + target.port();
        int other = target.tls() ? target.origin().httpPort() : target.origin().httpsPort();
        boolean alternate = target.tls() && target.port() == TLS_PORT && other != TLS_ALTERNATE;
        if (other == target.port() && !alternate) {
            return CompletableFuture.completedFuture(failure.withEvidence(Evidence.builder().put("tried", tried).build()));
        }
        long now = nanoClock.getAsLong();
        Refused refused = new Refused(new InetSocketAddress(address, target.port()), other);
        Probe probe = recent.compute(refused, (k, known) -> known != null && now - known.startedNanos() < INTERVAL.toNanos()
                ? known : new Probe(probe(loop, address, target, other, alternate), now));
        recent.values().removeIf(p -> now - p.startedNanos() >= INTERVAL.toNanos());
        return probe.answers().thenApply(a -> withAnswers(failure, tried, address, target, a));
    }

    private CompletableFuture<Answers> probe(EventLoop loop, InetAddress address, OriginTarget target, int other,
            boolean alternate) {
        String otherProtocol = target.tls() ? "http" : "https";
        CompletableFuture<String> otherAnswer = other == target.port() ? CompletableFuture.completedFuture(null)
                : accepts(loop, new InetSocketAddress(address, other)).thenApply(ok -> otherProtocol + " on port " + other
                        + (ok ? " accepts connections" : " does not accept connections either"));
        CompletableFuture<byte[]> hello = alternate ? hello(loop, new InetSocketAddress(address, TLS_ALTERNATE), target)
                : CompletableFuture.completedFuture(null);
        return otherAnswer.thenCombine(hello, (o, first) -> {
            if (!alternate) {
                return new Answers(o, null, false);
            }
            boolean tls = first != null && PortLanguage.recognise(first) == PortLanguage.Spoken.TLS;
            String said = first == null ? "does not accept connections"
                    : tls ? "answers TLS"
                    : first.length == 0 ? "accepts connections but sent nothing back to a TLS ClientHello"
                    : "accepts connections but does not answer TLS";
            return new Answers(o, "port " + TLS_ALTERNATE + " " + said, tls);
        });
    }

    private Failure withAnswers(Failure failure, String tried, InetAddress address, OriginTarget target, Answers a) {
        String otherPort = a.otherPort();
        if (otherPort != null && failure.code() != FailureCode.ORIGIN_CONNECTION_REFUSED) {
            // "Either" compares with a refusal; an unreachable or silent port was not refused.
            otherPort = otherPort.replace(" either", "");
        }
        Evidence more = Evidence.builder()
                .put("tried", tried)
                .put("otherPort", otherPort)
                .put("alternatePort", a.alternate())
                .build();
        if (!a.alternateTls()) {
            return failure.withEvidence(more);
        }
        String detail = "Nothing listens on port " + TLS_PORT + " of " + target.origin().host()
                + (NetUtil.toAddressString(address).equals(target.origin().host()) ? "" : " (" + NetUtil.toAddressString(address) + ")")
                + ", but port " + TLS_ALTERNATE + " answers TLS: set httpsPort: " + TLS_ALTERNATE + " for this origin.";
        List<String> fix = new ArrayList<>();
        fix.add("Nothing listens on port " + TLS_PORT + ", but port " + TLS_ALTERNATE + " answers TLS: set `httpsPort: "
                + TLS_ALTERNATE + "` on this origin (or make the origin's server listen on " + TLS_PORT + ").");
        fix.add("Check it: `openssl s_client -connect " + NetUtil.toAddressString(address) + ":" + TLS_ALTERNATE
                + " -servername " + target.serverName() + " </dev/null`.");
        fix.addAll(failure.remediation());
        return new Failure(failure.code(), failure.proxyStatusError(), failure.proxyStatusParams(), detail,
                failure.evidence().with(more), fix);
    }

    private CompletableFuture<Boolean> accepts(EventLoop loop, InetSocketAddress to) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        ChannelFuture connect = bootstrap(loop, new ChannelInboundHandlerAdapter()).connect(to);
        connect.addListener(f -> {
            connect.channel().close();
            answer.complete(f.isSuccess());
        });
        return answer;
    }

    /** Connects and sends a TLS ClientHello; completes with the first bytes back, empty for none, null if refused. */
    private CompletableFuture<byte[]> hello(EventLoop loop, InetSocketAddress to, OriginTarget target) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        SslContext context;
        try {
            context = helloContext();
        } catch (SSLException e) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelFuture connect = bootstrap(loop, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new FirstReply(answer),
                        context.newHandler(ch.alloc(), target.serverName(), TLS_ALTERNATE), new Quiet());
            }
        }).connect(to);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                answer.complete(null);
                return;
            }
            Channel channel = connect.channel();
            channel.closeFuture().addListener(c -> answer.complete(new byte[0]));
            // A port that accepts but never answers the hello is read as "sent nothing back".
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        });
        return answer;
    }

    private Bootstrap bootstrap(EventLoop loop, ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .handler(handler);
    }

    private SslContext helloContext() throws SSLException {
        SslContext context = helloContext;
        if (context == null) {
            // Only the first bytes back are read, to tell TLS from anything else: nothing is trusted or sent after them.
            context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            helloContext = context;
        }
        return context;
    }

    /** Keeps the first bytes the probed port sends back and closes the probe. */
    private static final class FirstReply extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<byte[]> answer;

        FirstReply(CompletableFuture<byte[]> answer) {
            this.answer = answer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                byte[] first = new byte[Math.min(16, buf.readableBytes())];
                buf.getBytes(buf.readerIndex(), first);
                answer.complete(first);
            }
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    /** Swallows the handshake's failure when the probe closes: the probe reads bytes, not handshake outcomes. */
    private static final class Quiet extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
