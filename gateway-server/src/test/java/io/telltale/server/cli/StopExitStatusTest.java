package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real process: SIGTERM drains the gateway and the process exits 0, as process supervisors expect. */
class StopExitStatusTest {
    @TempDir
    Path dir;

    @Test
    void exitsZeroAfterSigterm() throws Exception {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                server: {httpPort: 0, drainTimeout: 2s}
                admin: {enabled: false}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: 8080}]
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                TelltaleCommand.class.getName(), "run", "--config", config.toString()))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("telltale ready")) {
                // start-up log lines
            }
            assertThat(line).as("the process said it was ready").startsWith("telltale ready");
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
