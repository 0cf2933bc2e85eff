package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process run with {@code --watch-config} on a directory laid out as the kubelet lays out a ConfigMap
 * volume: each update swaps the {@code ..data} symlink to a new directory, and the gateway follows it.
 */
class ConfigWatchTest {
    private static final Pattern READY = Pattern.compile("http 127\\.0\\.0\\.1:(\\d+), .*admin 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path volume;

    private HttpServer origin;
    private int generation;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", exchange -> {
            byte[] body = "from origin".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.stop(0);
    }

    @Test
    void aChangedConfigMapIsServedABadOneChangesNothingAndTheProcessLivesOn() throws Exception {
        update(config(false));
        Path config = volume.resolve("gateway.yaml");
        Files.createSymbolicLink(config, Path.of("..data", "gateway.yaml"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                TelltaleCommand.class.getName(), "run", "--config", config.toString(), "--watch-config=200ms"))
                .redirectErrorStream(true).start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Not closed by the test: the thread draining it holds its lock until the process ends.
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("telltale ready")) {
                // start-up log lines
            }
            assertThat(line).as("the process said it was ready").startsWith("telltale ready");
            Matcher ports = READY.matcher(line);
            assertThat(ports.find()).as(line).isTrue();
            int http = Integer.parseInt(ports.group(1));
            URI loaded = URI.create("http://127.0.0.1:" + ports.group(2) + "/config");
            URI metrics = URI.create("http://127.0.0.1:" + ports.group(2) + "/metrics");
            Thread drainOutput = new Thread(() -> out.lines().forEach(ignored -> { }), "process-output");
            drainOutput.setDaemon(true);
            drainOutput.start();
            assertThat(get(client, loaded)).contains(digest(config(false)));
            assertThat(request(http, "new.test")).doesNotContain("from origin");

            update(config(true));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(client, loaded).contains(digest(config(true))));
            assertThat(request(http, "new.test")).startsWith("HTTP/1.1 200").contains("from origin");
            String good = get(client, loaded);

            update("server: {httpPort: nope}\n");
            await().atMost(Duration.ofSeconds(20)).until(() -> reloads(client, metrics, "failure") == 1);
            assertThat(get(client, loaded)).isEqualTo(good);
            assertThat(request(http, "new.test")).startsWith("HTTP/1.1 200").contains("from origin");

            // The file gone for a moment, as an editor or a careless copy leaves it: one more refused reload.
            update(null);
            await().atMost(Duration.ofSeconds(20)).until(() -> reloads(client, metrics, "failure") == 2);
            assertThat(get(client, loaded)).isEqualTo(good);

            update(config(false));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(client, loaded).contains(digest(config(false))));
            assertThat(request(http, "new.test")).doesNotContain("from origin");
            assertThat(reloads(client, metrics, "success")).isEqualTo(2);
            assertThat(reloads(client, metrics, "failure")).isEqualTo(2);
            assertThat(process.isAlive()).isTrue();

            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anIntervalThatIsNotAPositiveDurationIsAUsageError() throws Exception {
        Path config = volume.resolve("gateway.yaml");
        Files.writeString(config, config(false));
        for (String option : List.of("--watch-config=0", "--watch-config=soon")) {
            StringWriter err = new StringWriter();
            int status = TelltaleCommand.execute(new String[] {"run", "--config", config.toString(), option},
                    new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertThat(status).as(option).isEqualTo(2);
            assertThat(err.toString()).as(option).contains("--watch-config: ").contains("(expected: ");
        }
    }

    /** Writes a new version as the kubelet does: a new directory, then one atomic rename of the symlink to it. */
    private void update(String content) throws Exception {
        generation++;
        Path version = Files.createDirectory(volume.resolve("..version_" + generation));
        if (content != null) {
            Files.writeString(version.resolve("gateway.yaml"), content);
        }
        Path next = volume.resolve("..data_tmp");
        Files.createSymbolicLink(next, version.getFileName());
        Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String config(boolean withNewSite) {
        String sites = """
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: %d}]
                """.formatted(origin.getAddress().getPort());
        if (withNewSite) {
            sites += """
                      - name: fresh
                        hosts: [new.test]
                        allowedOriginNetworks: [127.0.0.0/8]
                        origins: [{host: 127.0.0.1, httpPort: %d}]
                    """.formatted(origin.getAddress().getPort());
        }
        return """
                server: {bindAddress: 127.0.0.1, httpPort: 0, drainTimeout: 2s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                sites:
                """ + sites;
    }

    private static String digest(String content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static int reloads(HttpClient client, URI metrics, String result) throws Exception {
        Matcher count = Pattern.compile("telltale_config_reloads_total\\{result=\"" + result + "\"} (\\d+)\\.0")
                .matcher(get(client, metrics));
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    private static String get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sends one request with a Host header of our choosing (HttpClient will not set Host) and reads the answer. */
    private static String request(int port, String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
