package io.telltale.server.cluster;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.telltale.core.config.CertificateCheck;
import io.telltale.core.config.ChainOrderPolicy;
import io.telltale.core.config.ClusterConfig;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginProtocol;
import io.telltale.core.config.OriginTier;
import io.telltale.core.config.PeerAddresses;
import io.telltale.core.config.SniMode;
import io.telltale.core.origin.OriginTarget;
import io.telltale.core.profile.CdnProfile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's part in a cluster that is one cache: who owns a key, how a peer is reached as an origin attempt's
 * target, and whether a request carries the peers' secret.
 */
public final class Cluster {
    /** The request header that carries the shared secret from node to node; it never leaves the cluster. */
    public static final AsciiString PEER_HEADER = AsciiString.cached("telltale-peer");

    private final ClusterConfig config;
    private final ClusterNodes nodes;
    private final Duration peerResponseTimeout;
    private final byte[] secret;
    private final Map<String, OriginTarget> targets = new ConcurrentHashMap<>();

    /**
     * Creates the cluster view.
     *
     * @param config the cluster section
     * @param nodes the nodes and their owners
     * @param peerResponseTimeout how long a peer may take to answer: long enough for it to ask the origin itself
     */
    public Cluster(ClusterConfig config, ClusterNodes nodes, Duration peerResponseTimeout) {
        this.config = config;
        this.nodes = nodes;
        this.peerResponseTimeout = peerResponseTimeout;
        this.secret = config.secret().getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns the nodes. */
    public ClusterNodes nodes() {
        return nodes;
    }

    /** Returns the secret a request to a peer carries in {@link #PEER_HEADER}. */
    public String secret() {
        return config.secret();
    }

    /** Returns the node that owns a key, or null when this node does: then it goes to the origin itself. */
    public String peerOwning(String key) {
        String owner = nodes.owner(key);
        return owner == null || owner.equals(nodes.self()) ? null : owner;
    }

    /** Returns whether a request carries the peers' secret, compared in constant time. */
    public boolean fromPeer(HttpHeaders headers) {
        String presented = headers.get(PEER_HEADER);
        return presented != null && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Returns how an origin attempt reaches a peer: plain HTTP to its edge port, the viewer's Host kept. */
    public OriginTarget target(String node) {
        return targets.computeIfAbsent(node, this::newTarget);
    }

    private OriginTarget newTarget(String node) {
        InetSocketAddress address = PeerAddresses.parse(node);
        OriginConfig peer = new OriginConfig(address.getAddress().getHostAddress(), address.getPort(), address.getPort(),
                OriginProtocol.HTTP_ONLY, SniMode.VIEWER_HOST, config.connectTimeout(), Duration.ofMillis(250),
                config.connectTimeout(), peerResponseTimeout, Duration.ofSeconds(60), 256, null, "TLSv1.2", List.of(),
                ChainOrderPolicy.STRICT, 1, CdnProfile.TELLTALE, "TLSv1.3", CertificateCheck.VERIFY, 1, OriginTier.ORIGIN);
        return new OriginTarget(peer, false, address.getPort(), peer.host());
    }
}
