package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier through the gateway: kept across a restart, corruption dropped, I/O errors never failing a request. */
class DiskTierTest {
    private static final int LARGE = 300_000;

    @TempDir
    Path directory;

    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        origin.close();
    }

    private GatewayFixture startGateway(Path disk, String memory) throws InterruptedException {
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0, token: s3cret}
                cache: {maxSize: %s, disk: {path: "%s", maxSize: 64MiB}}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {defaultTtl: 1h}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                """.formatted(memory, disk.toString().replace("\\", "/"), origin.port()));
        return gateway;
    }

    private void restart(Path disk) throws InterruptedException {
        gateway.close();
        gateway = null;
        startGateway(disk, "64MiB");
    }

    private RawHttp.Response get(String path, String... headers) throws IOException {
        try (RawHttp client = gateway.client()) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n" + String.join("", headers) + "\r\n").read();
        }
    }

    private void awaitOnDisk(long objects) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.read(gateway, "telltale_cache_disk_objects") == objects);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        byte[] block = TestOrigin.pattern(65536);
        for (int i = 0; i < length; i += 65536) {
            System.arraycopy(block, 0, bytes, i, Math.min(65536, length - i));
        }
        return bytes;
    }

    @Test
    void aRestartKeepsEveryObjectWithItsHeadersAndVariants() throws Exception {
        startGateway(directory, "64MiB");
        RawHttp.Response small = get("/cacheable/kept");
        RawHttp.Response memoryHit = get("/cacheable/kept");
        get("/vary/v", "Accept-Encoding: gzip\r\n");
        get("/vary/v", "Accept-Encoding: br\r\n");
        get("/length/" + LARGE);
        awaitOnDisk(4);
        restart(directory);

        RawHttp.Response again = get("/cacheable/kept");
        RawHttp.Response gzip = get("/vary/v", "Accept-Encoding: gzip\r\n");
        RawHttp.Response br = get("/vary/v", "Accept-Encoding: br\r\n");
        RawHttp.Response large = get("/length/" + LARGE);

        assertThat(again.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(again.bodyText()).isEqualTo("body of /cacheable/kept");
        assertThat(again.header("ETag")).isEqualTo(small.header("ETag"));
        assertThat(again.header("Cache-Control")).isEqualTo("max-age=60");
        assertThat(again.header("Date")).isNotNull().isEqualTo(memoryHit.header("Date"));
        assertThat(gzip.bodyText()).isEqualTo("/vary/v in gzip");
        assertThat(br.bodyText()).isEqualTo("/vary/v in br");
        assertThat(br.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(large.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(large.body()).isEqualTo(pattern(LARGE));
        assertThat(origin.requests()).hasSize(4);
        assertThat(Metrics.read(gateway, "telltale_cache_disk_hits")).isGreaterThanOrEqualTo(4);
        assertThat(Metrics.read(gateway, "telltale_cache_disk_load_milliseconds")).isNotNegative();
    }

    @Test
    void aDiskHitOverHttp2IsTheStoredObjectWhole() throws Exception {
        startGateway(directory, "64MiB");
        get("/length/" + LARGE);
        awaitOnDisk(1);
        restart(directory);

        H2Client.Response hit;
        try (H2Client h2 = H2Client.cleartext(gateway.port())) {
            hit = h2.send(H2Client.get("www.test", "/length/" + LARGE));
        }

        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.header("x-cache")).isEqualTo("Hit from gateway");
        assertThat(hit.header("content-length")).isEqualTo(Integer.toString(LARGE));
        assertThat(hit.body()).isEqualTo(new String(pattern(LARGE), StandardCharsets.US_ASCII));
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void a304ForALargeObjectOnDiskRewritesItsHeadAroundTheSameBodyWithoutMemory() throws Exception {
        origin.cacheControl("no-cache");
        // Memory keeps objects up to 128 KiB: this one streams to disk and stays there only.
        startGateway(directory, "1MiB");
        get("/validated/" + LARGE);
        awaitOnDisk(1);
        List<Path> before = objectFiles();
        origin.cacheControl("max-age=600");

        RawHttp.Response refreshed = get("/validated/" + LARGE);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.header("X-Refreshed")).isEqualTo("yes");
        assertThat(refreshed.body()).isEqualTo(pattern(LARGE));
        assertThat(origin.requests()).hasSize(2);
        assertThat(origin.requests().get(1).header("if-none-match")).isEqualTo("\"v" + LARGE + "\"");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(objectFiles()).hasSize(1)
                .doesNotContainAnyElementsOf(before));
        byte[] file = Files.readAllBytes(objectFiles().get(0));
        assertThat(Arrays.copyOf(file, LARGE)).as("the same body").isEqualTo(pattern(LARGE));
        assertThat(new String(file, LARGE, file.length - LARGE, StandardCharsets.ISO_8859_1).toLowerCase())
                .as("the new head").contains("x-refreshed: yes");
        assertThat(Metrics.read(gateway, "telltale_cache_memory_objects")).as("never read into memory").isZero();
        assertThat(Metrics.read(gateway, "telltale_cache_disk_objects")).isEqualTo(1);

        restart(directory);
        RawHttp.Response afterRestart = get("/validated/" + LARGE);
        assertThat(afterRestart.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(afterRestart.header("X-Refreshed")).as("the refreshed head was kept").isEqualTo("yes");
        assertThat(afterRestart.header("Cache-Control")).isEqualTo("max-age=600");
        assertThat(afterRestart.body()).isEqualTo(pattern(LARGE));
        assertThat(origin.requests()).hasSize(2);
    }

    private List<Path> objectFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tto")).toList();
        }
    }

    @Test
    void aDiskHitAnswersConditionalAndRangeRequestsFromTheFile() throws Exception {
        startGateway(directory, "64MiB");
        get("/length/" + LARGE);
        awaitOnDisk(1);
        restart(directory);

        RawHttp.Response range = get("/length/" + LARGE, "Range: bytes=100000-100009\r\n");
        RawHttp.Response head;
        try (RawHttp client = gateway.client()) {
            head = client.send("HEAD /length/" + LARGE + " HTTP/1.1\r\nHost: www.test\r\n\r\n").read(true);
        }

        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 100000-100009/" + LARGE);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(pattern(LARGE), 100000, 100010));
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(LARGE));
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void anObjectReadBackFromDiskIsRevalidatedWithItsValidator() throws Exception {
        origin.cacheControl("max-age=0, must-revalidate");
        startGateway(directory, "64MiB");
        get("/cacheable/r");
        awaitOnDisk(1);
        restart(directory);

        RawHttp.Response refreshed = get("/cacheable/r");
        RawHttp.Response again = get("/cacheable/r");

        assertThat(refreshed.header("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(refreshed.bodyText()).isEqualTo("body of /cacheable/r");
        assertThat(again.bodyText()).isEqualTo("body of /cacheable/r");
        assertThat(origin.requests().get(1).header("if-none-match")).isEqualTo("\"r\"");
    }

    @Test
    void objectsEvictedFromMemoryAreStillHitsOnDisk() throws Exception {
        startGateway(directory, "16KiB");
        for (int i = 0; i < 40; i++) {
            get("/cacheable/m" + i);
        }
        awaitOnDisk(40);
        for (int i = 0; i < 40; i++) {
            assertThat(get("/cacheable/m" + i).header("X-Cache")).as("m" + i).isEqualTo("Hit from gateway");
        }
        assertThat(origin.requests()).hasSize(40);
        assertThat(Metrics.read(gateway, "telltale_cache_memory_bytes")).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void purgeAndInvalidationReachTheDisk() throws Exception {
        startGateway(directory, "64MiB");
        get("/cacheable/p1");
        get("/cacheable/p2");
        awaitOnDisk(2);
        restart(directory);
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            RawHttp.Response purged = admin.send("POST /purge?site=www&path=/cacheable/p1 HTTP/1.1\r\nHost: admin\r\n"
                    + "Authorization: Bearer s3cret\r\nContent-Length: 0\r\n\r\n").read();
            assertThat(purged.bodyText()).isEqualTo("{\"purged\":1}");
        }
        try (RawHttp client = gateway.client()) {
            assertThat(client.send("POST /cacheable/p2 HTTP/1.1\r\nHost: www.test\r\nContent-Length: 0\r\n\r\n").read()
                    .status()).isEqualTo(200);
        }

        assertThat(get("/cacheable/p1").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(get("/cacheable/p2").header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(origin.requests()).hasSize(5);
    }

    @Test
    void aTruncatedFileIsDroppedAtStartAndNeverServed() throws Exception {
        startGateway(directory, "64MiB");
        get("/cacheable/whole");
        get("/length/" + LARGE);
        awaitOnDisk(2);
        gateway.close();
        gateway = null;
        Path largest;
        try (Stream<Path> files = Files.list(directory)) {
            largest = files.max(Comparator.comparingLong(DiskTierTest::size)).orElseThrow();
        }
        try (FileChannel file = FileChannel.open(largest, StandardOpenOption.WRITE)) {
            file.truncate(LARGE / 2);
        }
        startGateway(directory, "64MiB");

        RawHttp.Response cut = get("/length/" + LARGE);
        RawHttp.Response whole = get("/cacheable/whole");

        assertThat(Metrics.read(gateway, "telltale_cache_disk_dropped")).isEqualTo(1);
        assertThat(Files.exists(largest)).isFalse();
        assertThat(cut.header("X-Cache")).isEqualTo("Miss from gateway");
        assertThat(cut.body()).isEqualTo(pattern(LARGE));
        assertThat(whole.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(origin.requests()).hasSize(3);
    }

    @Test
    void anUnusableDirectoryNeverFailsARequest() throws Exception {
        Path notADirectory = Files.writeString(directory.resolve("file"), "in the way");
        startGateway(notADirectory.resolve("cache"), "64MiB");

        RawHttp.Response miss = get("/cacheable/io");
        RawHttp.Response hit = get("/cacheable/io");

        assertThat(miss.status()).isEqualTo(200);
        assertThat(miss.bodyText()).isEqualTo("body of /cacheable/io");
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.read(gateway, "telltale_cache_disk_errors") >= 2);
        assertThat(Metrics.read(gateway, "telltale_cache_disk_objects")).isZero();
        assertThat(origin.requests()).hasSize(1);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
