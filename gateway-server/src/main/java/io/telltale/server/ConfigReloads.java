package io.telltale.server;

import io.telltale.core.config.ConfigException;
import io.telltale.server.reload.LoadedConfig;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reloads a server's config from its file or from a given config, and logs and counts each result. */
final class ConfigReloads {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloads.class);

    private final EdgeServer server;

    ConfigReloads(EdgeServer server) {
        this.server = server;
    }

    /** Reads the file the running config came from and switches to it; returns the problems, empty on success. */
    List<String> fromFile() {
        LoadedConfig running = server.loaded();
        if (running.file() == null) {
            return counted(List.of("config: not from a file (expected: a gateway started with --config FILE)"));
        }
        try {
            return apply(LoadedConfig.read(running.file(), Instant.now()));
        } catch (ConfigException e) {
            return counted(e.problems());
        }
    }

    /** Switches the server to a validated config; returns the problems, empty on success. */
    List<String> apply(LoadedConfig next) {
        return counted(server.switchTo(next));
    }

    /** Returns the config in use. */
    LoadedConfig loaded() {
        return server.loaded();
    }

    private List<String> counted(List<String> problems) {
        if (problems.isEmpty()) {
            server.gateway().metrics().configReload("success");
            LOG.info("config reloaded: {} (loaded at {})", server.loaded().digest(), server.loaded().loadedAt());
        } else {
            server.gateway().metrics().configReload("failure");
            LOG.warn("config reload refused, nothing changed; {} problem{}:\n  {}", problems.size(),
                    problems.size() == 1 ? "" : "s", String.join("\n  ", problems));
        }
        return problems;
    }
}
