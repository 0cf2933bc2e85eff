package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects larger than the memory tier keeps, through the gateway: streamed into their object file as they arrive
 * (never visible as whole before they are), read by the requests that follow the fill while it is still written,
 * and served from disk afterwards.
 */
class LargeObjectTest {
    /** Larger than the memory tier keeps (an eighth of its 1 MiB) and than the whole memory tier. */
    private static final int LARGE = 3 << 20;

    @TempDir
    Path directory;

    private HalfwayOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new HalfwayOrigin();
        startGateway();
    }

    @AfterEach
    void stop() throws IOException {
        origin.release();
        if (gateway != null) {
            gateway.close();
        }
        origin.close();
    }

    private void startGateway() throws InterruptedException {
        startGateway("30s");
    }

    private void startGateway(String collapseStall) throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0, token: s3cret}
                cache: {maxSize: 1MiB, disk: {path: "%s", maxSize: 64MiB}}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {maxObjectSize: 32MiB, collapseStall: %s}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                """.formatted(directory.toString().replace("\\", "/"), collapseStall, origin.port()));
    }

    private RawHttp.Response get(String path) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send(request(path)).read();
        }
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: www.test\r\n\r\n";
    }

    private List<String> files(String ending) throws IOException {
        try (Stream<Path> listed = Files.list(directory)) {
            return listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ending)).toList();
        }
    }

    private long metric(String name) throws IOException {
        return Metrics.read(gateway, name);
    }

    @Test
    void anObjectLargerThanMemoryIsWrittenAsItStreamsAndWholeOnlyAtItsEnd() throws Exception {
        byte[] expected = HalfwayOrigin.body(LARGE);
        try (RawHttp leader = gateway.client()) {
            RawHttp.Response head = leader.send(request("/big/" + LARGE)).read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(leader.readBytes(LARGE / 2)).isEqualTo(Arrays.copyOf(expected, LARGE / 2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(files(".part")).hasSize(1));
            assertThat(Files.size(directory.resolve(files(".part").get(0)))).isGreaterThan(LARGE / 4);
            assertThat(files(".tto")).isEmpty();
            assertThat(metric("telltale_cache_disk_objects")).isZero();

            origin.release();
            assertThat(leader.readBytes(LARGE - LARGE / 2)).isEqualTo(Arrays.copyOfRange(expected, LARGE / 2, LARGE));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("telltale_cache_disk_objects") == 1);
        assertThat(files(".part")).isEmpty();
        assertThat(files(".tto")).hasSize(1);

        RawHttp.Response hit = get("/big/" + LARGE);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
        assertThat(hit.header("ETag")).isEqualTo("\"" + LARGE + "\"");
        assertThat(hit.body()).isEqualTo(expected);
        assertThat(origin.requests()).hasSize(1);
        assertThat(metric("telltale_cache_memory_objects")).isZero();
        assertThat(metric("telltale_cache_disk_hits")).isEqualTo(1);
    }

    @Test
    void aChunkedBodyMovesToDiskOnceItOutgrowsMemoryAndSurvivesARestart() throws Exception {
        byte[] expected = HalfwayOrigin.body(LARGE);
        try (RawHttp leader = gateway.client(); RawHttp follower = gateway.client()) {
            leader.send(request("/chunked/" + LARGE));
            assertThat(origin.awaitHalfway()).isTrue();
            follower.send(request("/chunked/" + LARGE));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(files(".part")).hasSize(1));
            origin.release();
            RawHttp.Response led = leader.read();
            RawHttp.Response followed = follower.read();
            assertThat(led.body()).isEqualTo(expected);
            assertThat(followed.body()).isEqualTo(expected);
            assertThat(followed.header("Cache-Status")).contains("collapsed");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("telltale_cache_disk_objects") == 1);
        gateway.close();
        gateway = null;
        startGateway();

        RawHttp.Response hit = get("/chunked/" + LARGE);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
        assertThat(hit.body()).isEqualTo(expected);
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void followersReadTheFileWhileItIsWrittenEachAtItsOwnPace() throws Exception {
        byte[] expected = HalfwayOrigin.body(LARGE);
        try (RawHttp leader = gateway.client(); RawHttp fast = gateway.client(); RawHttp slow = gateway.client()) {
            leader.send(request("/big/" + LARGE)).read(true);
            assertThat(origin.awaitHalfway()).isTrue();
            RawHttp.Response fastHead = fast.send(request("/big/" + LARGE)).read(true);
            slow.send(request("/big/" + LARGE));

            // The first half reaches a follower from the file while the origin still holds the second.
            assertThat(fastHead.header("Cache-Status")).contains("collapsed");
            assertThat(fast.readBytes(LARGE / 2)).isEqualTo(Arrays.copyOf(expected, LARGE / 2));
            assertThat(metric("telltale_cache_disk_objects")).isZero();

            origin.release();
            assertThat(leader.readBytes(LARGE)).isEqualTo(expected);
            assertThat(fast.readBytes(LARGE - LARGE / 2)).isEqualTo(Arrays.copyOfRange(expected, LARGE / 2, LARGE));
            // The slow follower, which read nothing until now, held no one up and still gets the whole body.
            RawHttp.Response late = slow.read();
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.body()).isEqualTo(expected);
        }
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void aHeadFollowerOfADiskFillIsAnsweredFromTheHeadWithoutWaitingForTheBody() throws Exception {
        try (RawHttp leader = gateway.client(); RawHttp follower = gateway.client()) {
            leader.send(request("/big/" + LARGE)).read(true);
            assertThat(origin.awaitHalfway()).isTrue();
            // Short, so that an answer held back until the origin's second half fails here, not the whole run.
            follower.timeout(5_000);

            RawHttp.Response head = follower.send("HEAD /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\n\r\n")
                    .read(true);
            RawHttp.Response again = follower.send("HEAD /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\n\r\n")
                    .read(true);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
            assertThat(head.header("ETag")).isEqualTo("\"" + LARGE + "\"");
            assertThat(head.header("Cache-Status")).contains("collapsed");
            assertThat(again.status()).as("the connection serves the next request").isEqualTo(200);
            assertThat(metric("telltale_cache_disk_objects")).as("the fill is still under way").isZero();
            origin.release();
            assertThat(leader.readBytes(LARGE)).isEqualTo(HalfwayOrigin.body(LARGE));
        }
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void aFollowerOfAFillThatStallsFetchesTheRestFromTheByteItReached() throws Exception {
        startGateway("1s");
        byte[] expected = HalfwayOrigin.body(LARGE);
        try (RawHttp leader = gateway.client(); RawHttp follower = gateway.client()) {
            leader.send(request("/big/" + LARGE)).read(true);
            assertThat(origin.awaitHalfway()).isTrue();
            RawHttp.Response head = follower.send(request("/big/" + LARGE)).read(true);
            assertThat(head.header("Cache-Status")).contains("collapsed");

            // The fill goes a second without a byte: the follower is let go and asks the origin for the rest.
            assertThat(follower.readBytes(LARGE)).isEqualTo(expected);
            assertThat(origin.requests()).contains("GET /big/" + LARGE + " HTTP/1.1 bytes=" + LARGE / 2 + "-");
            assertThat(files(".part")).isEmpty();

            // The leader's own response goes on, but the stalled fill stores nothing.
            origin.release();
            assertThat(leader.readBytes(LARGE)).isEqualTo(expected);
        }
        assertThat(files(".tto")).isEmpty();
        assertThat(metric("telltale_cache_disk_objects")).isZero();
    }

    @Test
    void aColdRangeIsFetchedAsARangeWhileTheWholeObjectFillsInTheBackground() throws Exception {
        byte[] expected = HalfwayOrigin.body(LARGE);
        int first = LARGE - 1000;
        RawHttp.Response cold;
        try (RawHttp client = gateway.client()) {
            cold = client.send("GET /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\nRange: bytes=" + first + "-"
                    + (LARGE - 1) + "\r\n\r\n").read();
        }
        // The range came while the background fill still waits for the second half.
        assertThat(cold.status()).isEqualTo(206);
        assertThat(cold.header("Content-Range")).isEqualTo("bytes " + first + "-" + (LARGE - 1) + "/" + LARGE);
        assertThat(cold.body()).isEqualTo(Arrays.copyOfRange(expected, first, LARGE));
        assertThat(cold.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.awaitHalfway()).isTrue();
        assertThat(files(".tto")).isEmpty();

        origin.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("telltale_cache_disk_objects") == 1);
        RawHttp.Response warm;
        RawHttp.Response otherRepresentation;
        RawHttp.Response outside;
        try (RawHttp client = gateway.client()) {
            warm = client.send("GET /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\nRange: bytes=-10\r\n"
                    + "If-Range: \"" + LARGE + "\"\r\n\r\n").read();
            otherRepresentation = client.send("GET /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\n"
                    + "Range: bytes=0-9\r\nIf-Range: \"other\"\r\n\r\n").read();
            outside = client.send("GET /big/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\nRange: bytes=" + LARGE
                    + "-\r\n\r\n").read();
        }
        assertThat(warm.status()).isEqualTo(206);
        assertThat(warm.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(warm.header("Content-Range")).isEqualTo("bytes " + (LARGE - 10) + "-" + (LARGE - 1) + "/" + LARGE);
        assertThat(warm.body()).isEqualTo(Arrays.copyOfRange(expected, LARGE - 10, LARGE));
        assertThat(otherRepresentation.status()).isEqualTo(200);
        assertThat(otherRepresentation.body()).isEqualTo(expected);
        assertThat(outside.status()).isEqualTo(416);
        assertThat(outside.header("Content-Range")).isEqualTo("bytes */" + LARGE);
        assertThat(origin.requests()).containsExactlyInAnyOrder(
                "GET /big/" + LARGE + " HTTP/1.1 bytes=" + first + "-" + (LARGE - 1), "GET /big/" + LARGE + " HTTP/1.1");
    }

    @Test
    void aDirectoryGoneFromUnderTheTierNeverFailsALargeObject() throws Exception {
        Files.delete(directory);
        byte[] expected = HalfwayOrigin.body(LARGE);
        origin.release();

        RawHttp.Response first = get("/big/" + LARGE);
        RawHttp.Response second = get("/big/" + LARGE);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(expected);
        assertThat(second.body()).isEqualTo(expected);
        assertThat(metric("telltale_cache_disk_errors")).isPositive();
        assertThat(metric("telltale_cache_disk_objects")).isZero();
    }

    @Test
    void aFillThatBreaksOffLeavesNoObject() throws Exception {
        try (RawHttp leader = gateway.client()) {
            RawHttp.Response head = leader.send(request("/cut/" + LARGE)).read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(leader.readBytes(LARGE)).hasSize(LARGE / 2);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(files(".part")).isEmpty());
        assertThat(files(".tto")).isEmpty();
        assertThat(metric("telltale_cache_disk_objects")).isZero();

        try (RawHttp again = gateway.client()) {
            RawHttp.Response head = again.send(request("/cut/" + LARGE)).read(true);
            assertThat(head.header("X-Cache")).isEqualTo("Miss from gateway");
        }
        assertThat(origin.requests()).hasSize(2);
    }
}
