package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.telltale.server.reload.LoadedConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
    private static final String TOKEN = "Bearer s3cret";
    private static final int CLIENTS = 4;
    private static final int RELOADS = 20;

    @TempDir
    Path dir;

    @Test
    void twentyReloadsUnderLoadFailNoRequestAndResetNoConnection() throws Exception {
        Path file = dir.resolve("telltale.yaml");
        try (TestOrigin origin = new TestOrigin()) {
            Files.writeString(file, config(0, "telltale-r0", origin.port(), ""));
            try (EdgeServer server = EdgeServer.start(LoadedConfig.read(file, Instant.now()))) {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger answered = new AtomicInteger();
                AtomicReferenceArray<String> lastVia = new AtomicReferenceArray<>(CLIENTS);
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    Thread thread = new Thread(() -> {
                        // One connection for the whole run: a reset or a close would end it with an exception.
                        try (RawHttp http = new RawHttp(server.httpPort())) {
                            while (running.get()) {
                                RawHttp.Response response = http.send(
                                        "GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
                                if (response.status() != 200) {
                                    failures.add("status " + response.status() + ": " + response.bodyText());
                                }
                                lastVia.set(client, response.header("Via"));
                                answered.incrementAndGet();
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }, "load-" + c);
                    thread.start();
                    clients.add(thread);
                }
                for (int r = 1; r <= RELOADS; r++) {
                    String via = "telltale-r" + r;
                    Files.writeString(file, config(0, via, origin.port(), ""));
                    RawHttp.Response reloaded = admin(server, "POST", "/config/reload");
                    assertThat(reloaded.status()).as(reloaded.bodyText()).isEqualTo(200);
                    assertThat(reloaded.bodyText()).contains(sha256(file));
                    // Every client's open connection moves on to the new config with its next request.
                    await().atMost(Duration.ofSeconds(10)).until(() -> allEqual(lastVia, "1.1 " + via)
                            || !failures.isEmpty());
                    assertThat(failures).isEmpty();
                }
                running.set(false);
                for (Thread thread : clients) {
                    thread.join(10_000);
                }
                assertThat(failures).isEmpty();
                assertThat(answered.get()).isGreaterThan(RELOADS * CLIENTS);
                // Pooled origin connections outlive reloads: dropping the pools would open one set per reload.
                assertThat(origin.connections()).isLessThanOrEqualTo(2 * CLIENTS);
                assertThat(metric(server, "telltale_config_reloads_total{result=\"success\"")).isEqualTo(RELOADS);
            }
        }
    }

    @Test
    void aBadReloadChangesNothingAndNamesEachProblem() throws Exception {
        Path file = dir.resolve("telltale.yaml");
        try (TestOrigin origin = new TestOrigin()) {
            Files.writeString(file, config(0, "telltale-good", origin.port(), ""));
            try (EdgeServer server = EdgeServer.start(LoadedConfig.read(file, Instant.now()))) {
                String digest = sha256(file);
                String loaded = admin(server, "GET", "/config").bodyText();
                assertThat(loaded).contains("\"digest\":\"" + digest + "\"").contains("\"loadedAt\":\"");

                Files.writeString(file, config(0, "telltale-bad", origin.port(), "limits: {maxBodySize: lots}\n"));
                RawHttp.Response unparsable = admin(server, "POST", "/config/reload");
                assertThat(unparsable.status()).isEqualTo(422);
                assertThat(unparsable.bodyText()).contains("limits.maxBodySize: lots (expected: ");

                Path missing = dir.resolve("missing-ca.pem");
                Files.writeString(file, config(0, "telltale-bad", origin.port(), "")
                        .replace("  drainTimeout: 5s\n", "  drainTimeout: 5s\n  ioThreads: 3\n")
                        .replace("origins: [{host: 127.0.0.1,",
                                "origins: [{host: 127.0.0.1, protocol: https-only, caBundle: " + missing + ","));
                RawHttp.Response refused = admin(server, "POST", "/config/reload");
                assertThat(refused.status()).isEqualTo(422);
                assertThat(refused.bodyText())
                        .contains("server.ioThreads: 3 (expected: 0 as running; this setting changes only on restart)")
                        .contains("sites[0].origins[0].caBundle: " + missing);

                assertThat(admin(server, "GET", "/config").bodyText()).isEqualTo(loaded);
                try (RawHttp http = new RawHttp(server.httpPort())) {
                    assertThat(http.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().header("Via"))
                            .isEqualTo("1.1 telltale-good");
                }
                assertThat(metric(server, "telltale_config_reloads_total{result=\"failure\"")).isEqualTo(2);
                assertThat(admin(server, "POST", "/config/reload", "Bearer wrong").status()).isEqualTo(401);
                assertThat(admin(server, "GET", "/config/reload").status()).isEqualTo(405);
            }
        }
    }

    @Test
    void aMovedListenerIsReboundAndTheOldOneDrainsItsConnections() throws Exception {
        Path file = dir.resolve("telltale.yaml");
        int before = 20300;
        int after = 20301;
        try (TestOrigin origin = new TestOrigin()) {
            Files.writeString(file, config(before, "telltale-old", origin.port(), ""));
            try (EdgeServer server = EdgeServer.start(LoadedConfig.read(file, Instant.now()));
                    RawHttp held = new RawHttp(before);
                    RawHttp idle = new RawHttp(before)) {
                assertThat(idle.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().status()).isEqualTo(200);
                held.send("GET /hold HTTP/1.1\r\nHost: www.test\r\n\r\n");
                assertThat(origin.awaitHolding(10)).isTrue();

                Files.writeString(file, config(after, "telltale-new", origin.port(), ""));
                assertThat(admin(server, "POST", "/config/reload").status()).isEqualTo(200);
                assertThat(server.httpPort()).isEqualTo(after);
                try (RawHttp moved = new RawHttp(after)) {
                    assertThat(moved.send("GET /echo HTTP/1.1\r\nHost: www.test\r\n\r\n").read().header("Via"))
                            .isEqualTo("1.1 telltale-new");
                }
                // The old address takes no new connection; its idle one is closed, its busy one finishes first.
                await().atMost(Duration.ofSeconds(5)).until(() -> refuses(before));
                assertThat(idle.closedByPeer()).isTrue();
                origin.release();
                RawHttp.Response finished = held.read();
                assertThat(finished.status()).isEqualTo(200);
                assertThat(finished.header("Via")).isEqualTo("1.1 telltale-old");
                assertThat(finished.header("Connection")).isEqualToIgnoringCase("close");
            }
        }
    }

    @Test
    void aSiteKeepsItsCacheUnlessItsCacheSettingsChanged() throws Exception {
        Path file = dir.resolve("telltale.yaml");
        try (TestOrigin origin = new TestOrigin()) {
            Files.writeString(file, twoSites(origin.port(), "telltale-a", "{}"));
            try (EdgeServer server = EdgeServer.start(LoadedConfig.read(file, Instant.now()));
                    RawHttp http = new RawHttp(server.httpPort())) {
                for (String host : List.of("kept.test", "dropped.test")) {
                    assertThat(get(http, host).header("Cache-Status")).contains("fwd=");
                    assertThat(get(http, host).header("Cache-Status")).contains("hit");
                }
                int fetched = origin.requests().size();

                Files.writeString(file, twoSites(origin.port(), "telltale-b", "{defaultTtl: 5s}"));
                assertThat(admin(server, "POST", "/config/reload").status()).isEqualTo(200);

                RawHttp.Response kept = get(http, "kept.test");
                assertThat(kept.header("Cache-Status")).contains("hit");
                assertThat(kept.header("Via")).isEqualTo("1.1 telltale-b");
                assertThat(origin.requests()).hasSize(fetched);
                assertThat(get(http, "dropped.test").header("Cache-Status")).contains("fwd=");
                assertThat(origin.requests()).hasSize(fetched + 1);
            }
        }
    }

    private static RawHttp.Response get(RawHttp http, String host) throws IOException {
        return http.send("GET /cacheable/v1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
    }

    private static String config(int httpPort, String via, int originPort, String extra) {
        return """
                server:
                  bindAddress: 127.0.0.1
                  httpPort: %d
                  via: %s
                  drainTimeout: 5s
                admin:
                  port: 0
                  token: s3cret
                %ssites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(httpPort, via, extra, originPort);
    }

    private static String twoSites(int originPort, String via, String droppedCache) {
        return """
                server: {bindAddress: 127.0.0.1, httpPort: 0, via: %s}
                admin: {port: 0, token: s3cret}
                sites:
                  - name: kept
                    hosts: [kept.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                  - name: dropped
                    hosts: [dropped.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: %s
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(via, originPort, droppedCache, originPort);
    }

    private static boolean allEqual(AtomicReferenceArray<String> values, String expected) {
        for (int i = 0; i < values.length(); i++) {
            if (!expected.equals(values.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean refuses(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    private static RawHttp.Response admin(EdgeServer server, String method, String path) throws IOException {
        return admin(server, method, path, TOKEN);
    }

    private static RawHttp.Response admin(EdgeServer server, String method, String path, String authorization)
            throws IOException {
        try (RawHttp admin = new RawHttp(server.adminPort())) {
            return admin.send(method + " " + path + " HTTP/1.1\r\nHost: admin\r\nAuthorization: " + authorization
                    + "\r\nContent-Length: 0\r\n\r\n").read();
        }
    }

    private static long metric(EdgeServer server, String prefix) throws IOException {
        String text = admin(server, "GET", "/metrics").bodyText();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
