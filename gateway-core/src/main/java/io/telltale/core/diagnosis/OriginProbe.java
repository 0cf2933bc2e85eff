package io.telltale.core.diagnosis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import io.telltale.core.dns.DnsServerAddress;
import io.telltale.core.tls.OriginTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Probes an origin on demand, step by step: DNS (with the delegation diagnosis when it fails), TCP, TLS and
 * one HTTP/1.1 {@code GET}, each time-boxed, and reports each step with its evidence, the catalogue code it
 * would produce and the commands that repeat it.
 *
 * <p>It connects only where the URL and its DNS answer say, resolves names only through the given resolvers
 * (never the system's) and refuses origin ports the gateway refuses.
 */
public final class OriginProbe implements AutoCloseable {
    private static final int DNS_THREADS = 2;

    private final ProbeResources resources;
    private final EventLoopGroup ownGroup;
    private final ExecutorService ownDnsThreads;

    /**
     * Creates a probe with its own single NIO event loop and DNS threads, released by {@link #close()}.
     *
     * @param clock judges certificate validity and stamps reports
     * @param authoritativePorts the port the delegation diagnosis asks each authoritative server on; null for 53
     *     (the lab passes {@code LabDns.authoritativePorts()})
     */
    public OriginProbe(Clock clock, Function<InetAddress, Integer> authoritativePorts) {
        this.ownGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.ownDnsThreads = Executors.newFixedThreadPool(DNS_THREADS, r -> {
            Thread t = new Thread(r, "telltale-probe-dns");
            t.setDaemon(true);
            return t;
        });
        this.resources = resources(ownGroup, NioSocketChannel.class, ownDnsThreads, clock, authoritativePorts);
    }

    /**
     * Creates a probe on the caller's event loops and DNS threads, which {@link #close()} leaves running.
     *
     * @param group the event loops probe connections run on
     * @param channelType the socket channel class of the group's transport (NIO or epoll)
     * @param dnsExecutor the threads DNS replies are handled on
     * @param clock judges certificate validity and stamps reports
     * @param authoritativePorts the port the delegation diagnosis asks each authoritative server on; null for 53
     */
    public OriginProbe(EventLoopGroup group, Class<? extends SocketChannel> channelType, Executor dnsExecutor,
            Clock clock, Function<InetAddress, Integer> authoritativePorts) {
        this.ownGroup = null;
        this.ownDnsThreads = null;
        this.resources = resources(group, channelType, dnsExecutor, clock, authoritativePorts);
    }

    private static ProbeResources resources(EventLoopGroup group, Class<? extends SocketChannel> channelType,
            Executor dnsExecutor, Clock clock, Function<InetAddress, Integer> authoritativePorts) {
        return new ProbeResources(group, channelType, dnsExecutor, new OriginTlsContexts(clock), clock,
                authoritativePorts == null ? address -> 53 : authoritativePorts);
    }

    /**
     * Probes the URL; the report completes within about the options' total timeout and never exceptionally.
     *
     * @throws IllegalArgumentException naming the field when the URL, a resolver or the CA bundle is unusable
     */
    public CompletableFuture<DiagnosisReport> probe(String url, ProbeOptions options) {
        return probe(ProbeTarget.parse(url), options);
    }

    /**
     * Probes the target; the report completes within about the options' total timeout and never exceptionally.
     *
     * @throws IllegalArgumentException naming the field when a resolver or the CA bundle is unusable
     */
    public CompletableFuture<DiagnosisReport> probe(ProbeTarget target, ProbeOptions options) {
        for (String resolver : options.resolvers()) {
            DnsServerAddress.parse(resolver);
        }
        if (target.tls()) {
            try {
                resources.tls().context(ProbeRun.originConfig(NetUtil.LOCALHOST4, options, Duration.ofSeconds(1)));
            } catch (TlsConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new ProbeRun(target, options, resources).run();
    }

    /** Stops the event loop and DNS threads this probe created; borrowed ones are left running. */
    @Override
    public void close() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (ownDnsThreads != null) {
            ownDnsThreads.shutdownNow();
        }
    }
}
