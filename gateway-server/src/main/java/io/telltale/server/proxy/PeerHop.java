package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.telltale.core.cache.CacheStatus;
import io.telltale.core.failure.Failure;
import io.telltale.core.origin.AddressGuard;
import io.telltale.server.cluster.Cluster;
import io.telltale.server.cluster.ClusterRole;

/**
 * The cluster's part in the cache phase and the attempts: a miss whose key another node owns is fetched from that
 * node (one hop: a peer's request is never sent on to another peer), and when the owner cannot be reached this
 * node goes to the origin itself and says why in Cache-Status.
 */
final class PeerHop {
    private PeerHop() {
    }

    /** Sends the miss this exchange leads to the node that owns its key, unless this node owns it or a peer asked. */
    static void chooseOwner(ProxyExchange e, ClusterRole role) {
        if (role == null || e.fromPeer || e.upgrade != null) {
            return;
        }
        RequestFacts facts = e.facts();
        e.peer = role.cluster().peerOwning(e.site.name() + ' ' + e.hostName + ' ' + facts.path());
        if (e.peer != null) {
            e.peerNote = "from owner " + e.peer;
        }
    }

    /** Asks the cluster node that owns the key instead of the origin: one attempt, the viewer's Host kept. */
    static void startAtOwner(ProxyExchange e, Gateway gateway, AttemptListener listener, boolean fresh) {
        Cluster cluster = gateway.cluster().cluster();
        e.target = cluster.target(e.peer);
        e.outbound.headers().set(HttpHeaderNames.HOST, e.host);
        e.outbound.headers().set(Cluster.PEER_HEADER, cluster.secret());
        OriginAttempt attempt = new OriginAttempt(gateway, e, e.target, e.outbound, fresh, listener);
        e.attempt = attempt;
        e.timeline = attempt.timeline();
        if (e.resumeAt < 0) {
            e.advance(ExchangeStage.ATTEMPTING);
        }
        attempt.start(e.site, AddressGuard.ALLOW_ALL, e.downstream().loop(), e.requestComplete);
    }

    /** Gives up on the owner after a failed attempt at it: it leaves the owners for a while, the origin is next. */
    static void ownerLost(ProxyExchange e, ClusterRole role, Failure failure) {
        role.cluster().nodes().markDown(e.peer);
        e.peerNote = "owner " + e.peer + " unreachable (" + failure.code().code() + "); fetched from the origin";
        e.peer = null;
        e.outbound.headers().remove(Cluster.PEER_HEADER);
    }

    /** Returns the cache's status with what the cluster did for this exchange, if anything. */
    static CacheStatus noted(ProxyExchange e, CacheStatus status) {
        return e.peerNote == null || status == null ? status : status.withDetail(e.peerNote);
    }
}
