package io.telltale.server.lab;

import java.nio.file.Path;

/**
 * How to start the lab.
 *
 * @param httpPort the gateway's HTTP port (0 picks a free one)
 * @param httpsPort the gateway's HTTPS port (0 picks a free one)
 * @param adminPort the admin port (0 picks a free one)
 * @param stateDirectory where the lab CA and the edge certificate are written
 * @param configDirectory where {@code lab.yaml} and {@code lab.zone} are read from
 */
public record LabOptions(int httpPort, int httpsPort, int adminPort, Path stateDirectory, Path configDirectory) {
    /** The ports and directories {@code telltale lab} uses without flags. */
    public static LabOptions defaults() {
        return new LabOptions(8080, 8443, 9090, Path.of("lab-state"), Path.of("config"));
    }

    public LabOptions {
        for (int port : new int[] {httpPort, httpsPort, adminPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535, 0 for a free port)");
            }
        }
    }
}
