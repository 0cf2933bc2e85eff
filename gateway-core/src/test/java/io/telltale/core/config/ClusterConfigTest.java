package io.telltale.core.config;

import static io.telltale.core.config.ConfigLoaderTest.assertProblems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    private static final String SITES = "dns: {resolvers: [127.0.0.1]}\n"
            + "sites: [{name: www, hosts: [www.test], origins: [{host: origin.test}]}]\n";

    @Test
    void bindsAStaticClusterWithItsDefaults() {
        GatewayConfig config = ConfigLoader.parse(SITES + "cluster: {peers: [10.0.0.5:8080, \"[fd00::6]:8080\"],"
                + " secret: 0123456789abcdef}", "test.yaml");

        assertThat(config.cluster().peers()).containsExactly("10.0.0.5:8080", "[fd00::6]:8080");
        assertThat(config.cluster().downTime()).hasSeconds(10);
        assertThat(config.cluster().connectTimeout()).hasSeconds(1);
        assertThat(config.cluster().self()).isNull();
        assertThat(PeerAddresses.name(PeerAddresses.parse("[fd00::6]:8080"))).isEqualTo("[fd00:0:0:0:0:0:0:6]:8080");
    }

    @Test
    void reportsEveryProblemOfTheClusterSection() {
        assertProblems(SITES + "cluster: {peers: [10.0.0.5, peer.test:80], peerName: peers.test, self: 10.0.0.5:0,"
                        + " secret: short, downTime: 0s}",
                "cluster.peers: 2 peers (expected: either a list of peers or a peerName, not both)",
                "cluster.peers[0]: 10.0.0.5 (expected: " + PeerAddresses.EXPECTED + ")",
                "cluster.peers[1]: peer.test:80 (expected: " + PeerAddresses.EXPECTED + ")",
                "cluster.self: 10.0.0.5:0 (expected: " + PeerAddresses.EXPECTED + ")",
                "cluster.secret: (not shown) (expected: a shared secret of at least 16 characters)",
                "cluster.downTime: 0 (expected: a duration above 0)");
    }

    @Test
    void needsASecretAndSomeNodes() {
        assertProblems(SITES + "cluster: {}", "cluster.secret: missing (expected: a string)");
        assertProblems(SITES + "cluster: {secret: 0123456789abcdef}",
                "cluster.peers: [] (expected: either a list of peers or a peerName, not both)");
    }
}
