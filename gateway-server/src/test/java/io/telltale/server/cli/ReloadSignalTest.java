package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real process: SIGHUP reloads the config file, a bad file changes nothing, and the process lives on. */
class ReloadSignalTest {
    private static final Pattern ADMIN = Pattern.compile("admin 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void sighupReloadsTheFileAndABadFileLeavesTheProcessRunningAsItWas() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, config("telltale-one", "2s"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                TelltaleCommand.class.getName(), "run", "--config", config.toString()))
                .redirectErrorStream(true).start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("telltale ready")) {
                // start-up log lines
            }
            assertThat(line).as("the process said it was ready").startsWith("telltale ready");
            Matcher admin = ADMIN.matcher(line);
            assertThat(admin.find()).as(line).isTrue();
            URI loaded = URI.create("http://127.0.0.1:" + admin.group(1) + "/config");
            Thread drainOutput = new Thread(() -> out.lines().forEach(ignored -> { }), "process-output");
            drainOutput.setDaemon(true);
            drainOutput.start();
            String first = get(client, loaded);

            Files.writeString(config, config("telltale-two", "3s"));
            hangUp(process);
            await().atMost(Duration.ofSeconds(20)).until(() -> !get(client, loaded).equals(first));
            String second = get(client, loaded);
            assertThat(second).contains("\"file\":\"" + config.toString().replace("\\", "\\\\") + "\"");

            Files.writeString(config, "server: {httpPort: nope}\n");
            hangUp(process);
            // A refused reload is counted: wait for it, then check that nothing changed and the process lives.
            URI metrics = URI.create("http://127.0.0.1:" + admin.group(1) + "/metrics");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> get(client, metrics).contains("telltale_config_reloads_total{result=\"failure\"} 1.0"));
            assertThat(process.isAlive()).isTrue();
            assertThat(get(client, loaded)).isEqualTo(second);

            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    private static String config(String via, String drainTimeout) {
        return """
                server: {bindAddress: 127.0.0.1, httpPort: 0, via: %s, drainTimeout: %s}
                admin: {bindAddress: 127.0.0.1, port: 0}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: 8080}]
                """.formatted(via, drainTimeout);
    }

    private static void hangUp(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
