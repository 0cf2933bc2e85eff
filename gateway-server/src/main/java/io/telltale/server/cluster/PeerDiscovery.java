package io.telltale.server.cluster;

import io.telltale.core.config.PeerAddresses;
import io.telltale.core.dns.OriginResolver;
import io.telltale.core.dns.ResolvedOrigin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the nodes of a DNS-named cluster current: resolves the name through the gateway's own resolver, and again
 * when the answer's TTL runs out (at most the refresh interval later). A failed lookup keeps the nodes known.
 */
public final class PeerDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);
    private static final long MIN_DELAY_MILLIS = 1000;

    private final OriginResolver resolver;
    private final String name;
    private final int port;
    private final long maxDelayMillis;
    private final ClusterNodes nodes;
    private final ScheduledExecutorService timer;

    /**
     * Creates the discovery; nothing is asked until {@link #start()}.
     *
     * @param resolver the gateway's resolver
     * @param name the DNS name whose addresses are the nodes
     * @param port the nodes' edge HTTP port
     * @param refreshInterval the longest time between two lookups
     * @param nodes what the answers replace
     * @param timer runs the lookups
     */
    public PeerDiscovery(OriginResolver resolver, String name, int port, Duration refreshInterval, ClusterNodes nodes,
            ScheduledExecutorService timer) {
        this.resolver = resolver;
        this.name = name;
        this.port = port;
        this.maxDelayMillis = Math.max(MIN_DELAY_MILLIS, refreshInterval.toMillis());
        this.nodes = nodes;
        this.timer = timer;
    }

    /** Resolves the name now, and again as its answers expire. */
    public void start() {
        timer.execute(this::refresh);
    }

    private void refresh() {
        resolver.resolve(name).whenComplete((answer, failure) -> {
            long delay = maxDelayMillis;
            if (answer != null) {
                nodes.replace(names(answer));
                delay = Math.max(MIN_DELAY_MILLIS, Math.min(maxDelayMillis, answer.ttl().toMillis()));
            } else {
                LOG.warn("cluster.peerName {}: lookup failed, keeping {} known nodes: {}", name, nodes.names().size(),
                        failure.getMessage());
            }
            try {
                timer.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // The gateway is stopping: no more lookups.
            }
        });
    }

    private List<String> names(ResolvedOrigin answer) {
        return answer.addresses().stream()
                .map((InetAddress address) -> PeerAddresses.name(new InetSocketAddress(address, port)))
                .toList();
    }
}
