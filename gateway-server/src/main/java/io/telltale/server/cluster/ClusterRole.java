package io.telltale.server.cluster;

import io.telltale.core.cache.EdgeCache;
import io.telltale.core.config.ClusterConfig;
import io.telltale.core.config.GatewayConfig;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.PeerAddresses;
import io.telltale.core.config.SiteConfig;
import io.telltale.core.dns.OriginResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a gateway that is a node of a cluster holds: the cluster view, the purge sent on to the other nodes and the
 * answer to theirs, and the timer that keeps a DNS-named cluster current.
 *
 * @param cluster owners, peer targets and the secret
 * @param purges the purge sent on to every other node
 * @param purgeAnswer the answer to another node's purge
 * @param timer runs DNS refreshes, stopped on close
 */
public record ClusterRole(Cluster cluster, PeerPurges purges, PeerPurgeAnswer purgeAnswer, ScheduledExecutorService timer)
        implements AutoCloseable {

    /** Returns the role of a gateway in its cluster, started, or null when the config has no cluster section. */
    public static ClusterRole start(GatewayConfig config, OriginResolver resolver, EdgeCache cache, LongSupplier nanoClock) {
        ClusterConfig section = config.cluster();
        if (section == null) {
            return null;
        }
        List<String> listed = section.peers() == null ? List.of()
                : section.peers().stream().map(peer -> PeerAddresses.name(PeerAddresses.parse(peer))).toList();
        Predicate<String> isSelf = section.self() != null
                ? PeerAddresses.name(PeerAddresses.parse(section.self()))::equals
                : ownAddress(config.server().httpPort());
        ClusterNodes nodes = new ClusterNodes(isSelf, listed, section.downTime().toNanos(), nanoClock);
        Cluster cluster = new Cluster(section, nodes, peerResponseTimeout(config));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "telltale-cluster");
            thread.setDaemon(true);
            return thread;
        });
        if (section.peerName() != null) {
            new PeerDiscovery(resolver, section.peerName(), section.peerPort(), section.refreshInterval(), nodes, timer)
                    .start();
        }
        PeerPurges purges = new PeerPurges(cluster, Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "telltale-peer-purge");
            thread.setDaemon(true);
            return thread;
        }), section.connectTimeout().plusSeconds(5));
        Set<String> sites = config.sites().stream().map(SiteConfig::name).collect(Collectors.toSet());
        return new ClusterRole(cluster, purges, new PeerPurgeAnswer(cluster, cache, sites), timer);
    }

    /**
     * Returns how long a peer may take to answer: as long as its own attempt at the slowest origin may take to
     * connect and answer, so that the asking node does not give up on a peer that is still waiting for the origin.
     */
    private static Duration peerResponseTimeout(GatewayConfig config) {
        Duration longest = Duration.ofSeconds(1);
        for (SiteConfig site : config.sites()) {
            for (OriginConfig origin : site.origins()) {
                Duration total = origin.connectTimeout().plus(origin.responseTimeout());
                if (total.compareTo(longest) > 0) {
                    longest = total;
                }
            }
        }
        return longest;
    }

    /** Returns the test for this node's name: the edge HTTP port on one of this machine's own addresses. */
    private static Predicate<String> ownAddress(int httpPort) {
        Set<InetAddress> own;
        try {
            own = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                    .collect(Collectors.toSet());
        } catch (SocketException e) {
            own = Set.of();
        }
        Set<InetAddress> addresses = own;
        return name -> {
            InetSocketAddress address = PeerAddresses.parse(name);
            return address.getPort() == httpPort && addresses.contains(address.getAddress());
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        purges.close();
    }
}
