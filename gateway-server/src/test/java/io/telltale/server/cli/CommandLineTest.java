package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.server.DocExamples;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = TelltaleCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void checkConfigAcceptsTheExampleConfig() {
        Run run = run("check-config", "../config/gateway.example.yaml");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("ok (2 sites)");
    }

    @Test
    void checkConfigNamesTheBrokenFieldAndFails() throws IOException {
        String example = Files.readString(Path.of("../config/gateway.example.yaml"));
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, example.replaceFirst("\n        httpsPort: 443", "\n        httpsPort: 70000"));

        Run run = run("check-config", broken.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("origins[0].httpsPort: 70000 (expected: 80, 443 or 1024-65535)");
    }

    @Test
    void aDisallowedOriginPortIsRefusedAtConfigLoadAndNamedByTheProbeWithoutConnecting() throws IOException {
        String example = Files.readString(Path.of("../config/gateway.example.yaml"));
        Path broken = dir.resolve("gateway.yaml");
        Files.writeString(broken, example.replaceFirst("\n        httpsPort: 443", "\n        httpsPort: 22"));

        Run check = run("check-config", broken.toString());
        Run probe = run("diagnose", "http://127.0.0.1:22/");

        assertThat(check.status()).isEqualTo(1);
        assertThat(check.err()).contains("origins[0].httpsPort: 22 (expected: 80, 443 or 1024-65535)");
        assertThat(probe.status()).isNotZero();
        assertThat(probe.out() + probe.err()).contains("OriginPortNotAllowed");
        DocExamples.keepReason("OriginPortNotAllowed", """
                No gateway response exists: a disallowed origin port is refused at config load, so no request is ever \
                sent to one. What `telltale check-config gateway.yaml` printed (exit status %d) for an origin with \
                `httpsPort: 22`:

                ```
                %s
                ```

                The diagnosis probe names the code without connecting; what `telltale diagnose http://127.0.0.1:22/` \
                printed (exit status %d):

                ```
                %s
                ```
                """.formatted(check.status(), check.err().replace(broken.toString(), "gateway.yaml").strip(),
                probe.status(), (probe.out() + probe.err()).strip()));
    }

    @Test
    void checkConfigWithFilesReadsTheCertificatesTheConfigNames() {
        Run run = run("check-config", "--files", "../config/gateway.example.yaml");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("sites[0].tls.certificate: /etc/telltale/tls/www.example.com.crt "
                + "(expected: a readable PEM certificate chain; the file does not exist)");
    }

    @Test
    void runRefusesABadConfigWithoutListening() throws IOException {
        Path broken = dir.resolve("bad.yaml");
        Files.writeString(broken, "sites:\n  - name: x\n    hosts: [x.test]\n    origins: [{host: 127.0.0.1, conectTimeout: 1s}]\n");

        Run run = run("run", "--config", broken.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("sites[0].origins[0].conectTimeout: unknown key")
                .contains("did you mean connectTimeout?").contains("not starting");
    }

    @Test
    void runNamesTheListenerPortThatIsAlreadyTaken() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("taken.yaml");
            Files.writeString(config, "server: {httpPort: " + taken.getLocalPort() + "}\nadmin: {enabled: false}\n"
                    + "sites:\n  - name: x\n    hosts: [x.test]\n    allowedOriginNetworks: [127.0.0.0/8]\n"
                    + "    origins: [{host: 127.0.0.1, httpPort: 8080}]\n");

            Run run = run("run", "--config", config.toString());

            assertThat(run.status()).isEqualTo(1);
            assertThat(run.err()).contains("server.httpPort: " + taken.getLocalPort()
                    + " (expected: a port free to listen on at 127.0.0.1; ");
        }
    }

    @Test
    void everyCommandHasHelpAndVersionPrints() {
        for (String command : new String[] {"run", "check-config", "version", "explain"}) {
            Run help = run(command, "--help");
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: telltale " + command);
        }
        assertThat(run("version").out()).startsWith("telltale ");
    }
}
