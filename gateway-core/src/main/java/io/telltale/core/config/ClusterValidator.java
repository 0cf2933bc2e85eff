package io.telltale.core.config;

import io.telltale.core.http.HostNames;
import java.time.Duration;
import java.util.List;

/** Checks the cluster section: where the nodes come from, this node's address, the peer secret and the timings. */
final class ClusterValidator {
    private static final int MIN_SECRET_LENGTH = 16;

    private ClusterValidator() {
    }

    /** Reports every problem of the cluster section into {@code problems}. */
    static void check(ClusterConfig cluster, Problems problems) {
        List<String> peers = cluster.peers() == null ? List.of() : cluster.peers();
        if (peers.isEmpty() == (cluster.peerName() == null)) {
            problems.add("cluster.peers", peers.isEmpty() ? "[]" : peers.size() + " peers",
                    "either a list of peers or a peerName, not both");
        }
        for (int i = 0; i < peers.size(); i++) {
            address(peers.get(i), Problems.element("cluster.peers", i), problems);
        }
        if (cluster.peerName() != null && !HostNames.isDnsName(cluster.peerName())) {
            problems.add("cluster.peerName", Problems.shorten(cluster.peerName()),
                    "a DNS name such as telltale-peers.default.svc.cluster.local");
        }
        if (cluster.peerPort() < 1 || cluster.peerPort() > 65535) {
            problems.add("cluster.peerPort", Integer.toString(cluster.peerPort()), "a port from 1 to 65535");
        }
        if (cluster.self() != null) {
            address(cluster.self(), "cluster.self", problems);
        }
        if (cluster.secret().length() < MIN_SECRET_LENGTH) {
            problems.add("cluster.secret", "(not shown)", "a shared secret of at least " + MIN_SECRET_LENGTH + " characters");
        } else {
            ConfigValidator.checkSecret(cluster.secret(), "cluster.secret", problems);
        }
        positive(cluster.connectTimeout(), "cluster.connectTimeout", problems);
        positive(cluster.downTime(), "cluster.downTime", problems);
        positive(cluster.refreshInterval(), "cluster.refreshInterval", problems);
    }

    private static void address(String text, String path, Problems problems) {
        try {
            PeerAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(path, Problems.shorten(text), PeerAddresses.EXPECTED);
        }
    }

    private static void positive(Duration duration, String path, Problems problems) {
        if (duration.isZero() || duration.isNegative()) {
            problems.add(path, Durations.format(duration), "a duration above 0");
        }
    }
}
