package io.telltale.server;

import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;

/** Starts a gateway from YAML on ephemeral loopback ports for one test. */
final class GatewayFixture implements AutoCloseable {
    private final EdgeServer server;

    private GatewayFixture(EdgeServer server) {
        this.server = server;
    }

    /** Starts a gateway whose single site {@code www.test} proxies to a loopback origin port, plus extra YAML. */
    static GatewayFixture forOrigin(int originPort, String limitsYaml) throws InterruptedException {
        return start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 5s
                admin:
                  port: 0
                %s
                sites:
                  - name: www
                    hosts: [www.test, "*.wild.test"]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 2s
                """.formatted(limitsYaml.isBlank() ? "limits: {}" : "limits:\n" + limitsYaml.indent(2).stripTrailing(),
                        originPort));
    }

    /** Starts a gateway from a whole YAML config. */
    static GatewayFixture start(String yaml) throws InterruptedException {
        GatewayConfig config = ConfigLoader.parse(yaml, "test.yaml");
        return new GatewayFixture(EdgeServer.start(config));
    }

    /** Starts a gateway from a whole YAML config whose cache reads the time from {@code clock}. */
    static GatewayFixture start(String yaml, java.time.Clock clock) throws InterruptedException {
        GatewayConfig config = ConfigLoader.parse(yaml, "test.yaml");
        return new GatewayFixture(EdgeServer.start(config, clock));
    }

    /** Starts a gateway from a parsed config on the given transport. */
    static GatewayFixture start(GatewayConfig config, io.telltale.server.edge.Transport transport)
            throws InterruptedException {
        return new GatewayFixture(EdgeServer.start(config, transport));
    }

    EdgeServer server() {
        return server;
    }

    int port() {
        return server.httpPort();
    }

    int adminPort() {
        return server.adminPort();
    }

    RawHttp client() throws java.io.IOException {
        return new RawHttp(port());
    }

    @Override
    public void close() {
        server.close();
    }
}
