package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three gateways on 127.0.0.1 as one cluster: one cache, one origin fetch per object, one purge for all. */
class ClusterTest {
    private static final int FIRST_PORT = 20400;
    private static final int NODES = 3;
    private static final String SECRET = "cluster-test-secret-0123456789";
    private static final Pattern OWNER = Pattern.compile("from owner 127\\.0\\.0\\.1:(\\d+)");

    private TestOrigin origin;
    private final List<GatewayFixture> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        for (int i = 0; i < NODES; i++) {
            nodes.add(GatewayFixture.start(config(FIRST_PORT + i)));
        }
    }

    private String config(int port) {
        return """
                server: {bindAddress: 127.0.0.1, httpPort: %d, drainTimeout: 1s}
                admin: {port: 0, token: admin-token}
                cluster:
                  peers: [127.0.0.1:20400, 127.0.0.1:20401, 127.0.0.1:20402]
                  self: 127.0.0.1:%d
                  secret: %s
                  connectTimeout: 500ms
                  downTime: 1m
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 5s
                """.formatted(port, port, SECRET, origin.port());
    }

    @AfterEach
    void stop() throws IOException {
        nodes.forEach(GatewayFixture::close);
        origin.close();
    }

    private static RawHttp.Response get(int port, String path, String... extraHeaders) throws IOException {
        try (RawHttp client = new RawHttp(port)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n" + String.join("", extraHeaders)
                    + "\r\n").read();
        }
    }

    /** Returns the port of the node that owns a path, as the last node names it (or itself, when it owns it). */
    private static int ownerSeenFromLastNode(String path) throws IOException {
        int last = FIRST_PORT + NODES - 1;
        Matcher named = OWNER.matcher(String.valueOf(get(last, path).header("Cache-Status")));
        return named.find() ? Integer.parseInt(named.group(1)) : last;
    }

    /** Returns a fresh path that the node at {@code port} does not own, its owner learned through the last node. */
    private static String[] pathNotOwnedBy(int port, String prefix) throws IOException {
        for (int i = 0; ; i++) {
            String path = prefix + i;
            int owner = ownerSeenFromLastNode(path);
            if (owner != port) {
                return new String[] {path, Integer.toString(owner)};
            }
        }
    }

    @Test
    void anObjectRequestedThroughEveryNodeReachesTheOriginOnce() throws IOException {
        List<RawHttp.Response> answers = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            answers.add(get(FIRST_PORT + i, "/cacheable/once"));
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).isEqualTo("body of /cacheable/once");
        });
        assertThat(origin.requests()).hasSize(1);
        assertThat(answers).as("two nodes asked the owner instead of the origin")
                .filteredOn(answer -> answer.header("Cache-Status").contains("from owner 127.0.0.1:")).hasSize(2);
        assertThat(origin.requests().get(0).header("telltale-peer")).as("the secret never leaves the cluster").isNull();
    }

    @Test
    void aPurgeThroughOneNodeClearsEveryNode() throws IOException {
        for (int i = 0; i < NODES; i++) {
            get(FIRST_PORT + i, "/cacheable/purged");
        }
        RawHttp.Response purged;
        try (RawHttp admin = new RawHttp(nodes.get(0).adminPort())) {
            purged = admin.send("POST /purge?site=www&path=/cacheable/purged HTTP/1.1\r\nHost: admin\r\n"
                    + "Authorization: Bearer admin-token\r\nContent-Length: 0\r\n\r\n").read();
        }

        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.bodyText()).startsWith("{\"purged\":1,\"peers\":[")
                .contains("{\"node\":\"127.0.0.1:20401\",\"status\":200,\"result\":{\"purged\":1}}")
                .contains("{\"node\":\"127.0.0.1:20402\",\"status\":200,\"result\":{\"purged\":1}}");
        for (int i = 0; i < NODES; i++) {
            get(FIRST_PORT + i, "/cacheable/purged");
        }
        assertThat(origin.requests()).as("purged everywhere: fetched once more, by its owner").hasSize(2);
    }

    @Test
    void stoppingTheOwnerMovesItsKeysAndCacheStatusSaysWhy() throws IOException {
        String[] first = pathNotOwnedBy(FIRST_PORT, "/cacheable/lost-");
        int owner = Integer.parseInt(first[1]);
        String second = null;
        for (int i = 0; second == null; i++) {
            String[] candidate = pathNotOwnedBy(FIRST_PORT, "/cacheable/moved-" + i + "-");
            second = Integer.parseInt(candidate[1]) == owner ? candidate[0] : null;
        }
        nodes.get(owner - FIRST_PORT).close();
        int fetched = origin.requests().size();

        RawHttp.Response lost = get(FIRST_PORT, first[0]);
        RawHttp.Response moved = get(FIRST_PORT, second);

        assertThat(lost.status()).isEqualTo(200);
        assertThat(lost.header("Cache-Status")).contains("owner 127.0.0.1:" + owner + " unreachable (Origin")
                .contains("fetched from the origin");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.header("Cache-Status")).as("the owner's keys moved to a node still there")
                .doesNotContain("127.0.0.1:" + owner).doesNotContain("unreachable");
        assertThat(origin.requests().size()).isGreaterThan(fetched);
    }

    @Test
    void aClientCannotPoseAsAPeer() throws IOException {
        RawHttp.Response posed = get(FIRST_PORT, "/cacheable/posed", "Telltale-Peer: guessed\r\n", "CDN-Loop: telltale\r\n");
        RawHttp.Response purge;
        try (RawHttp client = new RawHttp(FIRST_PORT)) {
            purge = client.send("POST /__telltale/peer/purge?site=www&path=/ HTTP/1.1\r\nHost: www.test\r\n"
                    + "Telltale-Peer: guessed\r\nContent-Length: 0\r\n\r\n").read();
        }

        assertThat(posed.status()).isEqualTo(508);
        assertThat(posed.header("X-Gateway-Error-Code")).isEqualTo("LoopDetected");
        assertThat(purge.status()).isEqualTo(403);
        assertThat(origin.requests()).isEmpty();
    }
}
