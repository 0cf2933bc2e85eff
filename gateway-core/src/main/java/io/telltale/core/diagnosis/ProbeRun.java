package io.telltale.core.diagnosis;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.telltale.core.config.CertificateCheck;
import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.DnsConfig;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.OriginTier;
import io.telltale.core.config.PortRules;
import io.telltale.core.config.SniMode;
import io.telltale.core.dns.DelegationDiagnoser;
import io.telltale.core.dns.DelegationFinding;
import io.telltale.core.dns.DelegationReport;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureClassifier;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.Phase;
import io.telltale.core.http.HostNames;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.tls.CertificateFacts;
import io.telltale.core.tls.ChainInspector;
import io.telltale.core.tls.ChainReport;
import io.telltale.core.tls.TlsStage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * One run of the probe against one target: DNS, TCP, TLS and HTTP in turn, each recorded as a step.
 *
 * <p>It is longer than the project's 400 lines because each step hands its connection and its findings to the
 * next through fields of this one run; split by step, that state would travel through every class instead.
 */
final class ProbeRun {
    private static final CompletableFuture<Boolean> GO = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> STOP = CompletableFuture.completedFuture(false);
    private static final Duration LONGEST_QUERY = Duration.ofSeconds(2);
    private static final int HEADERS_SHOWN = 20;
    private static final int HEADER_VALUE_SHOWN = 200;
    private static final String USER_AGENT = "telltale-diagnose";

    private final ProbeTarget target;
    private final ProbeOptions options;
    private final ProbeResources resources;
    private final String sni;
    private final Instant startedAt;
    private final long startNanos;
    private final long deadlineNanos;
    private final List<DiagnosisStep> steps = new CopyOnWriteArrayList<>();
    private volatile InetAddress address;
    private volatile DnsjavaOriginResolver resolver;
    private volatile Channel channel;
    private volatile HttpExchangeProbe exchange;
    private volatile SslHandler ssl;
    private volatile boolean outOfTime;

    ProbeRun(ProbeTarget target, ProbeOptions options, ProbeResources resources) {
        this.target = target;
        this.options = options;
        this.resources = resources;
        this.sni = sniName(target, options);
        this.startedAt = resources.clock().instant();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + options.totalTimeout().toNanos();
    }

    /** Returns the name a probe sends as SNI and Host and verifies: the option, else the URL's host. */
    static String sniName(ProbeTarget target, ProbeOptions options) {
        return options.sni() == null || options.sni().isBlank() ? target.host() : HostNames.normalize(options.sni().trim());
    }

    /** Runs every step; the report always completes, a failure inside the probe itself becoming a failed step. */
    CompletableFuture<DiagnosisReport> run() {
        CompletableFuture<Boolean> dns;
        try {
            dns = dns();
        } catch (RuntimeException e) {
            dns = CompletableFuture.failedFuture(e);
        }
        return dns.thenCompose(go -> go ? tcp() : STOP)
                .thenCompose(go -> go ? tls() : STOP)
                .thenCompose(go -> go ? http() : STOP)
                .handle((go, error) -> finish(error));
    }

    private CompletableFuture<Boolean> dns() {
        long started = System.nanoTime();
        if (target.ipLiteral()) {
            return CompletableFuture.completedFuture(useAddress(started, literal(target.host()), null));
        }
        long limit = stepLimitNanos();
        DnsjavaOriginResolver r = new DnsjavaOriginResolver(dnsConfig(limit), System::nanoTime, resources.dnsExecutor(),
                resources.authoritativePorts());
        resolver = r;
        return r.resolve(target.host())
                .orTimeout(limit, TimeUnit.NANOSECONDS)
                .handle((resolved, error) -> error == null
                        ? CompletableFuture.completedFuture(useAddress(started, resolved.addresses().get(0), resolved))
                        : dnsFailed(started, limit, error))
                .thenCompose(f -> f);
    }

    private boolean useAddress(long started, InetAddress chosen, ResolvedOrigin resolved) {
        Evidence.Builder b = Evidence.builder();
        if (resolved != null) {
            b.put("addresses", resolved.addresses().stream().map(InetAddress::getHostAddress).toList());
            b.put("cnameChain", resolved.cnameChain().isEmpty() ? null : resolved.cnameChain());
        }
        b.put("using", chosen.getHostAddress());
        List<String> commands = resolved == null ? List.of() : RepeatCommands.dig(options.resolvers(), target.host());
        Optional<Failure> refused = options.addressRules() == null ? Optional.empty()
                : options.addressRules().check(target.host(), chosen);
        if (options.addressRules() == null) {
            ProhibitedAddresses.allowing(List.of()).prohibitedRange(chosen).ifPresent(range -> b.put("addressNote",
                    chosen.getHostAddress() + " is in the " + range.name() + " range " + range.cidr()
                            + ": the gateway connects to it only when the site's allowedOriginNetworks allows it"));
        }
        Evidence evidence = resolved == null ? b.build() : b.build().with(resolved.evidence());
        if (refused.isPresent()) {
            steps.add(failed("dns", started, refused.get(), evidence.with(refused.get().evidence()), commands));
            return false;
        }
        address = chosen;
        if (resolved == null) {
            steps.add(new DiagnosisStep("dns", StepStatus.SKIPPED, 0, target.host() + " is an IP literal: no DNS lookup",
                    evidence, null, commands));
        } else {
            steps.add(new DiagnosisStep("dns", StepStatus.OK, millisSince(started), target.host() + " resolved to "
                    + String.join(", ", resolved.addresses().stream().map(InetAddress::getHostAddress).toList())
                    + (resolved.cnameChain().isEmpty() ? "" : " via CNAME " + String.join(" -> ", resolved.cnameChain())),
                    evidence, null, commands));
        }
        return true;
    }

    private CompletableFuture<Boolean> dnsFailed(long started, long limit, Throwable error) {
        Failure failure = unwrap(error) instanceof TimeoutException ? dnsStepTimeout(limit)
                : FailureClassifier.classify(Phase.DNS, error, false, hop());
        List<String> commands = new ArrayList<>(RepeatCommands.dig(options.resolvers(), target.host()));
        Optional<DelegationDiagnoser> diagnoser = resolver.diagnoser();
        if (diagnoser.isEmpty()) {
            steps.add(failed("dns", started, failure, failure.evidence(), commands));
            return STOP;
        }
        Optional<DelegationReport> latest = diagnoser.get().latest(target.host());
        CompletableFuture<DelegationReport> report = latest.isPresent() ? CompletableFuture.completedFuture(latest.get())
                : diagnoser.get().diagnose(target.host()).copy()
                        .completeOnTimeout(null, Math.max(0, started + limit - System.nanoTime()), TimeUnit.NANOSECONDS);
        return report.handle((delegation, e) -> {
            Evidence evidence = failure.evidence();
            if (delegation != null) {
                evidence = failure.evidence().get("delegation") == null ? evidence.with(delegation.toEvidence()) : evidence;
                delegation.findings().stream().map(DelegationFinding::command).forEach(commands::add);
            } else {
                evidence = evidence.with(Evidence.builder().put("delegationDiagnosis", e != null
                        ? "failed: " + unwrap(e).getMessage()
                        : "still running when the DNS step's " + TimeUnit.NANOSECONDS.toMillis(limit) + " ms ran out").build());
            }
            steps.add(failed("dns", started, failure, evidence, commands));
            return false;
        });
    }

    private Failure dnsStepTimeout(long limit) {
        long ms = TimeUnit.NANOSECONDS.toMillis(limit);
        Evidence evidence = Evidence.builder()
                .put("query", target.host() + ". A")
                .put("resolvers", options.resolvers())
                .put("limitMs", ms)
                .build();
        return new Failure(FailureCode.NON_S3_ORIGIN_DNS_ERROR, "dns_timeout", null,
                "No resolver answered for " + target.host() + " within the DNS step's " + ms + " ms.", evidence,
                RepeatCommands.dig(options.resolvers(), target.host()));
    }

    private DnsConfig dnsConfig(long limitNanos) {
        Duration step = Duration.ofNanos(Math.max(limitNanos, TimeUnit.MILLISECONDS.toNanos(1)));
        Duration query = step.dividedBy(2L * Math.max(1, options.resolvers().size()));
        return new DnsConfig(options.resolvers(), query.compareTo(LONGEST_QUERY) < 0 ? query : LONGEST_QUERY, 1,
                Duration.ZERO, Duration.ofDays(1), Duration.ZERO, 16, 53, step.dividedBy(2), Duration.ofMinutes(1),
                Duration.ofMillis(50));
    }

    private CompletableFuture<Boolean> tcp() {
        if (ranOutOfTime()) {
            return STOP;
        }
        long started = System.nanoTime();
        InetAddress to = address;
        String nc = RepeatCommands.nc(to, target.port());
        if (!PortRules.isAllowedOriginPort(target.port())) {
            steps.add(failed("tcp", started, portNotAllowed(), null, List.of()));
            return STOP;
        }
        long limit = stepLimitNanos();
        HttpExchangeProbe http = new HttpExchangeProbe();
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(options.maxResponseHeaderSize())
                .setStrictLineParsing(true);
        ChannelFuture connect = new Bootstrap()
                .group(resources.group())
                .channel(resources.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(limit)))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(http.firstByteStamp(), new HttpClientCodec(decoder, false, false), http);
                    }
                })
                .connect(new InetSocketAddress(to, target.port()));
        exchange = http;
        channel = connect.channel();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        connect.addListener(f -> {
            long ms = millisSince(started);
            if (f.isSuccess()) {
                Evidence evidence = Evidence.builder()
                        .put("remote", label(connect.channel().remoteAddress()))
                        .put("local", label(connect.channel().localAddress()))
                        .build();
                steps.add(new DiagnosisStep("tcp", StepStatus.OK, ms, "connected to "
                        + label(connect.channel().remoteAddress()), evidence, null, List.of(nc)));
                done.complete(true);
            } else {
                Failure failure = FailureClassifier.classify(Phase.CONNECT, f.cause(), false, hop());
                steps.add(failed("tcp", started, failure, failure.evidence().with(Evidence.builder()
                        .put("limitMs", TimeUnit.NANOSECONDS.toMillis(limit)).build()), List.of(nc)));
                done.complete(false);
            }
        });
        return done;
    }

    private Failure portNotAllowed() {
        Evidence evidence = Evidence.builder()
                .put("origin.host", target.host())
                .put("origin.port", target.port())
                .put("origin.address", address.getHostAddress())
                .put("allowedPorts", PortRules.ORIGIN_PORT_EXPECTED)
                .build();
        FailureCode code = FailureCode.ORIGIN_PORT_NOT_ALLOWED;
        return new Failure(code, null, null, "Port " + target.port() + " is not one the gateway connects to origins on ("
                + PortRules.ORIGIN_PORT_EXPECTED + "), so the probe did not connect.", evidence, code.ownerAdvice(evidence));
    }

    private CompletableFuture<Boolean> tls() {
        if (!target.tls()) {
            steps.add(DiagnosisStep.skipped("tls", "plain http: no TLS"));
            return GO;
        }
        if (ranOutOfTime()) {
            return STOP;
        }
        long started = System.nanoTime();
        long limit = stepLimitNanos();
        OriginConfig origin = originConfig(address, options, Duration.ofNanos(limit));
        List<String> commands = List.of(RepeatCommands.openssl(address, target.port(), sni, options.caBundle()));
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Channel ch = channel;
        ch.eventLoop().execute(() -> {
            SslHandler handler = resources.tls().newHandler(ch.alloc(), origin, sni, target.port());
            ssl = handler;
            if (!ch.isActive()) {
                steps.add(tlsFailed(started, handler, new ClosedChannelException(), commands));
                done.complete(false);
                return;
            }
            ch.pipeline().addFirst(handler);
            handler.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    steps.add(tlsDone(started, handler, commands));
                    done.complete(true);
                } else {
                    steps.add(tlsFailed(started, handler, f.cause(), commands));
                    done.complete(false);
                }
            });
        });
        return done;
    }

    /** Returns the origin configuration the probe's TLS handler is built from: the address as host, the options' trust. */
    static OriginConfig originConfig(InetAddress address, ProbeOptions options, Duration handshakeTimeout) {
        OriginConfig t = options.tlsTemplate();
        if (t != null) {
            return new OriginConfig(address.getHostAddress(), 443, 443, OriginProtocol.HTTPS_ONLY, SniMode.ORIGIN_HOST,
                    options.stepTimeout(), Duration.ofMillis(250), handshakeTimeout, options.stepTimeout(),
                    Duration.ofMinutes(1), 1, options.caBundle(), t.minTlsVersion(), t.ciphers(), t.chainOrder(), 1,
                    t.profile(), t.maxTlsVersion(), t.certificateCheck(), 1, OriginTier.ORIGIN);
        }
        return new OriginConfig(address.getHostAddress(), 443, 443, OriginProtocol.HTTPS_ONLY, SniMode.ORIGIN_HOST,
                options.stepTimeout(), Duration.ofMillis(250), handshakeTimeout, options.stepTimeout(), Duration.ofMinutes(1), 1,
                options.caBundle(), "TLSv1.2", List.of(), ChainOrderPolicy.STRICT, 1, CdnProfile.TELLTALE, "TLSv1.3",
                CertificateCheck.VERIFY, 1, OriginTier.ORIGIN);
    }

    private DiagnosisStep tlsDone(long started, SslHandler handler, List<String> commands) {
        SSLSession session = handler.engine().getSession();
        Instant now = resources.clock().instant();
        ChainReport chain = ChainInspector.inspect(resources.tls().presentedChain(handler), sni, now);
        CertificateFacts leaf = chain.leaf();
        long days = leaf == null ? 0 : Duration.between(now, leaf.notAfter()).toDays();
        Evidence evidence = Evidence.builder()
                .put("protocol", session.getProtocol())
                .put("cipher", session.getCipherSuite())
                .put("sniSent", HostNames.isAddress(sni) ? "none (IP literal)" : sni)
                .put("verification", "passed: the chain leads to a trusted root (" + (options.caBundle() == null
                        ? "system store" : "system store and " + options.caBundle()) + ") and the leaf covers " + sni)
                .put("chainInOrder", chain.inOrder())
                .put("leafExpiresInDays", leaf == null ? null : days)
                .put("chain", chain.certificates().stream().map(CertificateFacts::toEvidence).toList())
                .build();
        String summary = session.getProtocol() + " " + session.getCipherSuite()
                + (leaf == null ? "" : ", certificate for " + String.join(", ", leaf.names()) + " valid until "
                        + leaf.notAfter() + " (" + days + " days)");
        return new DiagnosisStep("tls", StepStatus.OK, millisSince(started), summary, evidence, null, commands);
    }

    private DiagnosisStep tlsFailed(long started, SslHandler handler, Throwable cause, List<String> commands) {
        Failure failure = resources.tls().classify(handler, cause, TlsStage.HANDSHAKE)
                .orElseGet(() -> FailureClassifier.classify(Phase.TLS, cause, false, hop()));
        return failed("tls", started, failure, failure.evidence(), commands);
    }

    private CompletableFuture<Boolean> http() {
        if (ranOutOfTime()) {
            return STOP;
        }
        long started = System.nanoTime();
        long limit = stepLimitNanos();
        String host = target.authority(sni);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.path(),
                Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "*/*");
        Evidence requestFacts = Evidence.builder()
                .put("request", "GET " + target.path() + " HTTP/1.1")
                .put("host", host)
                .put("responseTimeoutMs", TimeUnit.NANOSECONDS.toMillis(limit))
                .build();
        List<String> commands = List.of(RepeatCommands.curl(target, sni, address, options.caBundle()));
        HttpExchangeProbe http = exchange;
        http.send(request, limit, System.nanoTime() + limit);
        return http.outcome().thenApply(outcome -> {
            if (outcome.cause() == null) {
                steps.add(httpDone(started, outcome, requestFacts, commands));
                return true;
            }
            Failure failure = httpFailure(outcome);
            steps.add(failed("http", started, failure, requestFacts.with(responseFacts(outcome)).with(failure.evidence()),
                    commands));
            return false;
        });
    }

    private Failure httpFailure(HttpExchangeProbe.Outcome outcome) {
        boolean responseStarted = outcome.head() != null;
        if (outcome.decoderFailure()) {
            return FailureClassifier.classifyDecoderFailure(outcome.cause(), responseStarted, hop());
        }
        SslHandler handler = ssl;
        Optional<Failure> lateTls = handler == null ? Optional.empty()
                : resources.tls().classify(handler, outcome.cause(), TlsStage.FIRST_READ);
        return lateTls.orElseGet(() -> FailureClassifier.classify(Phase.RESPONSE, outcome.cause(), responseStarted, hop()));
    }

    private DiagnosisStep httpDone(long started, HttpExchangeProbe.Outcome outcome, Evidence requestFacts,
            List<String> commands) {
        HttpResponse head = outcome.head();
        long firstByte = TimeUnit.NANOSECONDS.toMillis(outcome.timeToFirstByteNanos());
        String summary = head.status().code() + " " + head.status().reasonPhrase() + ", first byte after " + firstByte
                + " ms, " + outcome.bodyBytes() + (outcome.truncated() ? "+" : "") + " body bytes";
        return new DiagnosisStep("http", StepStatus.OK, millisSince(started), summary,
                requestFacts.with(responseFacts(outcome)), null, commands);
    }

    private static Evidence responseFacts(HttpExchangeProbe.Outcome outcome) {
        HttpResponse head = outcome.head();
        Evidence.Builder b = Evidence.builder()
                .put("timeToFirstByteMs", outcome.timeToFirstByteNanos() < 0 ? null
                        : TimeUnit.NANOSECONDS.toMillis(outcome.timeToFirstByteNanos()));
        if (head == null) {
            return b.put("response", "none").build();
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        int shown = 0;
        for (Map.Entry<String, String> h : head.headers()) {
            if (shown++ == HEADERS_SHOWN) {
                break;
            }
            String value = h.getValue();
            headers.merge(h.getKey(), value.length() > HEADER_VALUE_SHOWN ? value.substring(0, HEADER_VALUE_SHOWN) + "..." : value,
                    (a, c) -> a + ", " + c);
        }
        return b.put("status", head.status().code())
                .put("reason", head.status().reasonPhrase())
                .put("version", head.protocolVersion().text())
                .put("headerCount", head.headers().size())
                .put("headers", headers)
                .put("bodyBytes", outcome.bodyBytes())
                .put("bodyNote", outcome.truncated() ? "stopped reading after " + HttpExchangeProbe.BODY_LIMIT + " bytes" : null)
                .put("totalMs", TimeUnit.NANOSECONDS.toMillis(outcome.totalNanos()))
                // Asked without Connection: close, so the origin says how it would keep a CDN's connection open.
                .put("keepAlive", KeepAliveHeader.closes(head.headers()) ? "close"
                        : head.headers().get(HttpHeaderNames.KEEP_ALIVE, "none"))
                .put("keepAliveTimeoutS", KeepAliveHeader.timeoutSeconds(head.headers()))
                .build();
    }

    private DiagnosisReport finish(Throwable error) {
        if (error != null) {
            Failure failure = FailureClassifier.classify(Phase.GATEWAY, error, false, hop());
            steps.add(failed(nextStep(), System.nanoTime(), failure, failure.evidence(), List.of()));
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        DnsjavaOriginResolver r = resolver;
        if (r != null) {
            r.close();
        }
        List<DiagnosisStep> all = new ArrayList<>(steps);
        String why = outOfTime ? "not run: the probe's time limit of " + options.totalTimeout().toMillis() + " ms ran out"
                : all.stream().filter(s -> s.status() == StepStatus.FAILED).findFirst()
                        .map(s -> "not run: the " + s.name() + " step failed").orElse("not run");
        for (String name : DiagnosisStep.NAMES.subList(all.size(), DiagnosisStep.NAMES.size())) {
            all.add(DiagnosisStep.skipped(name, why));
        }
        return new DiagnosisReport(target, sni, options.resolvers(), startedAt, millisSince(startNanos), all, !outOfTime);
    }

    private String nextStep() {
        return steps.size() < DiagnosisStep.NAMES.size() ? DiagnosisStep.NAMES.get(steps.size()) : "http";
    }

    private DiagnosisStep failed(String name, long started, Failure failure, Evidence evidence, List<String> commands) {
        String details = failure.proxyStatusParams().get("details") instanceof String d ? d : null;
        String detail = failure.detail().endsWith(".") ? failure.detail().substring(0, failure.detail().length() - 1)
                : failure.detail();
        return new DiagnosisStep(name, StepStatus.FAILED, millisSince(started),
                details == null ? failure.detail() : detail + ": " + details,
                evidence == null ? failure.evidence() : evidence, failure, commands);
    }

    private boolean ranOutOfTime() {
        if (deadlineNanos - System.nanoTime() > 0) {
            return false;
        }
        outOfTime = true;
        return true;
    }

    private long stepLimitNanos() {
        return Math.max(1, Math.min(options.stepTimeout().toNanos(), deadlineNanos - System.nanoTime()));
    }

    private OriginHop hop() {
        return new OriginHop(target.host(), target.port(), address);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String label(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            String ip = a.getAddress().getHostAddress();
            return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: " + host + " (expected: an IP literal)", e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
