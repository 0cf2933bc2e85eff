package io.telltale.server.cli;

import io.telltale.core.config.ConfigException;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;
import java.io.PrintWriter;
import io.telltale.server.EdgeServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Loads and validates a config file without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a config file; print every problem with the field it names.")
final class CheckConfigCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The YAML config file.")
    private Path file;

    @Option(names = "--files", description = "Also read every certificate, key and CA bundle the config names, "
            + "as run does (their paths must exist where this runs).")
    private boolean files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            GatewayConfig config = ConfigLoader.load(file);
            List<String> tls = files ? EdgeServer.checkTlsMaterial(config) : List.of();
            if (!tls.isEmpty()) {
                throw new ConfigException(tls);
            }
            out.printf("%s: ok (%d site%s)%n", file, config.sites().size(), config.sites().size() == 1 ? "" : "s");
            return 0;
        } catch (ConfigException e) {
            err.printf("%s: %d problem%s%n", file, e.problems().size(), e.problems().size() == 1 ? "" : "s");
            for (String problem : e.problems()) {
                err.println("  " + problem);
            }
            return 1;
        }
    }
}
