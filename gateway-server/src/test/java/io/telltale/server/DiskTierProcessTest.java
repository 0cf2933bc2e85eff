package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real process restarted on the same cache directory: what it stored is hit again without the origin. */
class DiskTierProcessTest {
    /** An object larger than twice the direct memory the second test lets the process use. */
    private static final int HUGE = 64 << 20;
    private static final Pattern READY = Pattern.compile("telltale ready: http [^:]+:(\\d+), https \\S+, admin [^:]+:(\\d+)");

    @TempDir
    Path dir;

    /** A running gateway process and the ports it said it listens on. */
    private record Running(Process process, int http, int admin) {
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the process stopped on SIGTERM").isTrue();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // two JVMs start and stop: slow on a loaded machine, not stuck
    void aNewProcessOnTheSameDirectoryHitsWhatTheLastOneStored() throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, """
                    server: {bindAddress: 127.0.0.1, httpPort: 0, drainTimeout: 2s}
                    admin: {port: 0}
                    cache: {disk: {path: "%s", maxSize: 16MiB}}
                    sites:
                      - name: www
                        hosts: [www.test]
                        allowedOriginNetworks: [127.0.0.0/8]
                        cache: {defaultTtl: 1h}
                        origins: [{host: 127.0.0.1, httpPort: %d}]
                    """.formatted(dir.resolve("cache"), origin.port()));
            Running first = start(config, dir.resolve("first.log"));
            try {
                assertThat(get(first, "/cacheable/p").header("X-Cache")).isEqualTo("Miss from gateway");
                assertThat(get(first, "/length/150000").header("X-Cache")).isEqualTo("Miss from gateway");
                await().atMost(Duration.ofSeconds(20)).until(() -> metric(first, "telltale_cache_disk_objects") == 2);
            } finally {
                first.stop();
            }
            Running second = start(config, dir.resolve("second.log"));
            try {
                RawHttp.Response small = get(second, "/cacheable/p");
                RawHttp.Response large = get(second, "/length/150000");

                assertThat(small.header("X-Cache")).isEqualTo("Hit from gateway");
                assertThat(small.bodyText()).isEqualTo("body of /cacheable/p");
                assertThat(large.header("X-Cache")).isEqualTo("Hit from gateway");
                assertThat(large.body()).hasSize(150000);
                assertThat(metric(second, "telltale_cache_disk_hits")).isEqualTo(2);
            } finally {
                second.stop();
            }
            assertThat(origin.requests()).hasSize(2);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS) // a JVM starts and stops: slow on a loaded machine, not stuck
    void anHttp2DiskHitLargerThanTheProcessMayHoldInDirectMemoryStreamsFromTheFile() throws Exception {
        try (TestOrigin origin = new TestOrigin()) {
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, """
                    server: {bindAddress: 127.0.0.1, httpPort: 0, drainTimeout: 2s}
                    admin: {port: 0}
                    cache: {maxSize: 8MiB, disk: {path: "%s", maxSize: 256MiB}}
                    sites:
                      - name: www
                        hosts: [www.test]
                        allowedOriginNetworks: [127.0.0.0/8]
                        cache: {defaultTtl: 1h, maxObjectSize: 128MiB}
                        origins: [{host: 127.0.0.1, httpPort: %d}]
                    """.formatted(dir.resolve("cache"), origin.port()));
            // Reading the object into one buffer, as HTTP/2 disk hits once did, cannot fit in this bound.
            Running gateway = start(config, dir.resolve("gateway.log"), "-XX:MaxDirectMemorySize=" + HUGE / 2);
            try {
                assertThat(get(gateway, "/length/" + HUGE).header("X-Cache")).isEqualTo("Miss from gateway");
                await().atMost(Duration.ofSeconds(30)).until(() -> metric(gateway, "telltale_cache_disk_objects") == 1);

                H2Client.Download hit;
                try (H2Client h2 = H2Client.cleartext(gateway.http())) {
                    hit = h2.download(H2Client.get("www.test", "/length/" + HUGE), Duration.ofSeconds(60));
                }

                assertThat(hit.status()).isEqualTo(200);
                assertThat(hit.header("x-cache")).isEqualTo("Hit from gateway");
                assertThat(hit.length()).isEqualTo(HUGE);
                assertThat(hit.crc()).isEqualTo(patternCrc(HUGE));
                assertThat(metric(gateway, "telltale_cache_disk_hits")).isEqualTo(1);
                assertThat(Files.readString(dir.resolve("gateway.log"))).doesNotContain("OutOfDirectMemoryError",
                        "OutOfMemoryError");
            } finally {
                gateway.stop();
            }
            assertThat(origin.requests()).hasSize(1);
        }
    }

    /** Returns the CRC-32 of the test origin's body of this length: its 64 KiB pattern over and over. */
    private static long patternCrc(long length) {
        byte[] block = TestOrigin.pattern(65536);
        CRC32 crc = new CRC32();
        for (long at = 0; at < length; at += block.length) {
            crc.update(block, 0, (int) Math.min(block.length, length - at));
        }
        return crc.getValue();
    }

    private static Running start(Path config, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.telltale.server.cli.TelltaleCommand",
                "run", "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Matcher[] ready = new Matcher[1];
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Matcher matcher = READY.matcher(Files.readString(log));
                ready[0] = matcher.find() ? matcher : null;
                return ready[0] != null || !process.isAlive();
            });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        assertThat(ready[0]).as("the process said it was ready: " + Files.readString(log)).isNotNull();
        return new Running(process, Integer.parseInt(ready[0].group(1)), Integer.parseInt(ready[0].group(2)));
    }

    private static RawHttp.Response get(Running gateway, String path) throws IOException {
        try (RawHttp client = new RawHttp(gateway.http())) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
        }
    }

    private static long metric(Running gateway, String name) throws IOException {
        return Metrics.read(gateway.admin(), name);
    }
}
