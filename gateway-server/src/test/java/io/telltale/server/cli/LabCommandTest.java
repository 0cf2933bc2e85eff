package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter out, StringWriter err, String... args) {
        return TelltaleCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void labHelpNamesEveryPortFlag() {
        StringWriter out = new StringWriter();

        int status = run(out, new StringWriter(), "lab", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--http-port").contains("--https-port").contains("--admin-port")
                .contains("--state").contains("(default: 9090)");
    }

    @Test
    void labRefusesAnUnknownPlaceholderNamingItsLineAndStopsWhatItStarted() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("..", "config", "lab.zone"), config.resolve("lab.zone"));
        Files.copy(Path.of("..", "config", "lab-tier.yaml"), config.resolve("lab-tier.yaml"));
        Files.writeString(config.resolve("lab.yaml"), Files.readString(Path.of("..", "config", "lab.yaml"))
                .replaceFirst("\\$\\{lab\\.origin\\.healthy}", "\\${lab.origin.nosuch}"));
        StringWriter err = new StringWriter();

        int status = run(new StringWriter(), err, "lab", "--http-port", "0", "--https-port", "0", "--admin-port", "0",
                "--state", dir.resolve("state").toString(), "--config-dir", config.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("is invalid, not starting")
                .containsPattern("lab\\.yaml:\\d+: \\$\\{lab\\.origin\\.nosuch} \\(expected: one of \\[");
    }

    @Test
    void labRefusesAPortOutOfRange() {
        StringWriter err = new StringWriter();

        int status = run(new StringWriter(), err, "lab", "--http-port", "70000");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("port: 70000 (expected: 0-65535, 0 for a free port)");
    }
}
