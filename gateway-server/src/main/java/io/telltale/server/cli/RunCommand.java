package io.telltale.server.cli;

import io.telltale.core.config.ConfigException;
import io.telltale.core.config.Durations;
import io.telltale.server.EdgeServer;
import io.telltale.server.reload.ConfigWatch;
import io.telltale.server.reload.LoadedConfig;
import io.telltale.server.reload.ReloadSignal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the gateway with a config file until SIGTERM or SIGINT, then drains and exits 0; SIGHUP reloads the file, and
 * so does a change of its content with {@code --watch-config}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML config file.")
    private Path config;

    // An option rather than a config key: whether the file is watched belongs to how the process was started,
    // and a key would let a reload turn off the very watch that might bring the next fix.
    @Option(names = "--watch-config", arity = "0..1", fallbackValue = "5s", paramLabel = "INTERVAL",
            description = "Reload the config when the file's content changes, checked every INTERVAL (default 5s).")
    private String watchInterval;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Duration interval = watchInterval == null ? null : interval(watchInterval);
        LoadedConfig loaded;
        try {
            loaded = LoadedConfig.read(config, Instant.now());
        } catch (ConfigException e) {
            err.printf("%s: %d problem%s, not starting%n", config, e.problems().size(),
                    e.problems().size() == 1 ? "" : "s");
            for (String problem : e.problems()) {
                err.println("  " + problem);
            }
            return 1;
        }
        EdgeServer server;
        try {
            server = EdgeServer.start(loaded);
        } catch (ConfigException e) {
            // Certificate and key files are read only now: their problems are config problems all the same.
            err.printf("%s: %d problem%s, not starting%n", config, e.problems().size(),
                    e.problems().size() == 1 ? "" : "s");
            e.problems().forEach(problem -> err.println("  " + problem));
            return 1;
        }
        StopSignal stop = StopSignal.install();
        // The result is logged and counted where the reload happens; a failed one changes nothing.
        ReloadSignal.install(server::reload);
        ConfigWatch watch = interval == null ? null : ConfigWatch.start(server::loaded, server::reload, interval);
        String bind = loaded.config().server().bindAddress();
        spec.commandLine().getOut().printf("telltale ready: http %s:%d, https %s, admin %s%n", bind, server.httpPort(),
                server.httpsPort() < 0 ? "off" : bind + ":" + server.httpsPort(),
                server.adminPort() < 0 ? "off" : loaded.config().admin().bindAddress() + ":" + server.adminPort());
        spec.commandLine().getOut().flush();
        stop.awaitThen(() -> {
            if (watch != null) {
                watch.close();
            }
            server.close();
        });
        return 0;
    }

    private Duration interval(String text) {
        Duration parsed;
        try {
            parsed = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--watch-config: " + e.getMessage());
        }
        if (parsed.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--watch-config: 0 (expected: a positive interval such as 5s)");
        }
        return parsed;
    }
}
