package io.telltale.server.health;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.NetUtil;
import io.telltale.core.config.HealthCheckConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.dns.DelegationDiagnoser;
import io.telltale.core.dns.DelegationFinding;
import io.telltale.core.origin.OriginTarget;
import io.telltale.server.proxy.Gateway;
import io.telltale.server.proxy.Site;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Runs the active health checks of every origin group that has them: each origin is checked on one event loop of
 * the gateway, first at a random point of its first interval and then each interval plus a random jitter after
 * the previous check ended, so that many origins' checks spread over time and loops.
 */
public final class HealthChecker implements AutoCloseable {
    /** The delegation findings that name a server which does not serve the name while others do. */
    private static final Set<String> LAME_FINDINGS = Set.of("SERVER_NOT_AUTHORITATIVE", "SERVER_REFUSED",
            "SERVER_SERVFAIL", "TIMEOUT", "SERVER_UNRESPONSIVE_UDP");

    private final Gateway gateway;
    private final CheckScheduler scheduler;
    private final LongUnaryOperator random;
    private volatile boolean closed;

    /**
     * Creates a checker.
     *
     * @param gateway the gateway whose sites, connector and clocks the checks use
     * @param scheduler runs each origin's next check
     * @param random returns a number from 0 to its argument inclusive, for the first delay and the jitter
     */
    public HealthChecker(Gateway gateway, CheckScheduler scheduler, LongUnaryOperator random) {
        this.gateway = gateway;
        this.scheduler = scheduler;
        this.random = random;
    }

    /** Starts the checks of every site's origins on the event loops' timers; returns the running checker. */
    public static HealthChecker start(Gateway gateway, EventLoopGroup loops) {
        HealthChecker checker = new HealthChecker(gateway, CheckScheduler.LOOPS,
                bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
        checker.schedule(loops);
        return checker;
    }

    /** Schedules the first check of every origin of every group with health checks, spread over the loops. */
    public void schedule(EventLoopGroup loops) {
        for (Site site : gateway.router().sites()) {
            OriginHealth health = site.group().health();
            if (health == null) {
                continue;
            }
            long interval = health.config().interval().toNanos();
            for (int i = 0; i < health.size(); i++) {
                EventLoop loop = loops.next();
                int origin = i;
                scheduler.schedule(loop, () -> check(site, health, origin, loop), random.applyAsLong(interval));
            }
        }
    }

    private void check(Site site, OriginHealth health, int origin, EventLoop loop) {
        if (closed) {
            return;
        }
        HealthCheckConfig config = health.config();
        String host = site.config().origins().get(origin).host();
        HealthProbe.check(gateway.connector(), loop, target(site, origin), site.addressGuard(), config,
                gateway.originTls(), gateway.nanoClock()).thenAccept(result -> {
                    health.record(origin, result.withLameServers(lameServers(host)),
                            gateway.epochClock().getAsLong());
                    if (!closed) {
                        scheduler.schedule(loop, () -> check(site, health, origin, loop),
                                config.interval().toNanos() + random.applyAsLong(config.jitter().toNanos()));
                    }
                });
    }

    /**
     * Returns what the last delegation diagnosis of the name found wrong with its name servers, and starts the next
     * one (the diagnoser runs at most one per name per {@code dns.diagnosisInterval}, on its own threads), so that
     * a following check reads a fresh report. An IP literal has no delegation.
     */
    private List<String> lameServers(String host) {
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return List.of();
        }
        DelegationDiagnoser diagnoser = gateway.connector().resolver().diagnoser().orElse(null);
        if (diagnoser == null) {
            return List.of();
        }
        List<String> found = diagnoser.latest(host).map(report -> report.findings().stream()
                .filter(f -> LAME_FINDINGS.contains(f.id())).map(DelegationFinding::sentence).toList())
                .orElse(List.of());
        diagnoser.diagnose(host);
        return found;
    }

    /**
     * Returns how a check reaches the origin: HTTPS for {@code https-only}, and for {@code match-viewer} when the
     * gateway has an HTTPS listener (so the certificate a viewer's request would meet is the one checked), else HTTP.
     */
    private OriginTarget target(Site site, int origin) {
        boolean https = site.config().origins().get(origin).protocol() == OriginProtocol.HTTPS_ONLY
                || (site.config().origins().get(origin).protocol() == OriginProtocol.MATCH_VIEWER
                        && gateway.config().server().httpsPort() != null);
        String viewerHost = site.config().hosts().stream().filter(h -> !h.startsWith("*")).findFirst()
                .orElse(site.config().origins().get(origin).host());
        return site.target(origin, https, viewerHost);
    }

    /** Stops scheduling checks; those under way end on their own. */
    @Override
    public void close() {
        closed = true;
    }
}
