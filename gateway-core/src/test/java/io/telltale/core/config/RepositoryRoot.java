package io.telltale.core.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever the tests run (the module directory under Maven). */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /** Returns the nearest directory at or above the working directory that holds the gateway-core module. */
    static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("gateway-core")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no gateway-core module above " + Path.of("").toAbsolutePath());
    }
}
