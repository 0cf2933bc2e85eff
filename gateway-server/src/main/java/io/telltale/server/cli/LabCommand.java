package io.telltale.server.cli;

import io.telltale.core.config.ConfigException;
import io.telltale.server.lab.Lab;
import io.telltale.server.lab.LabListing;
import io.telltale.server.lab.LabOptions;
import io.telltale.server.lab.LabScenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the lab on loopback, lists every scenario, and runs until SIGTERM or SIGINT. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Start the lab: every CDN failure mode, for real, on loopback (http://lab.localhost:8080/).")
final class LabCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "The gateway's HTTP port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443",
            description = "The gateway's HTTPS port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int httpsPort;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "9090",
            description = "The admin port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    private int adminPort;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = "lab-state",
            description = "Where the lab CA and the edge certificate are written (default: ${DEFAULT-VALUE}).")
    private Path state;

    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "config",
            description = "Where lab.yaml and lab.zone are read from (default: ${DEFAULT-VALUE}).")
    private Path configDir;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long begun = System.nanoTime();
        Lab lab;
        try {
            lab = Lab.start(new LabOptions(httpPort, httpsPort, adminPort, state, configDir));
        } catch (ConfigException e) {
            err.println("telltale lab: " + configDir.resolve("lab.yaml") + " is invalid, not starting");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("telltale lab: cannot start: " + e.getMessage());
            return 1;
        }
        StopSignal stop = StopSignal.install();
        out.print(LabListing.render(LabScenarios.all(), lab.endpoints()));
        out.printf("%nlab ready in %.1f s: open %s (Ctrl-C stops the lab)%n", (System.nanoTime() - begun) / 1e9,
                lab.endpoints().landingUrl());
        out.flush();
        stop.awaitThen(lab::close);
        return 0;
    }
}
