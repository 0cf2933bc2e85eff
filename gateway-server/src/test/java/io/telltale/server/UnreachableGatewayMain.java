package io.telltale.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a gateway whose origin is in a range the network namespace routes nowhere, sends it one plain-text
 * request and writes the response as {@link DocExamples#text}; run inside an unreachable namespace it gives the
 * gateway's real 523.
 *
 * <p>Usage: {@code UnreachableGatewayMain ORIGIN_IP OUTPUT_FILE}
 */
public final class UnreachableGatewayMain {
    private UnreachableGatewayMain() {
    }

    /** Asks the gateway for a page of the unreachable origin and writes what it answered. */
    public static void main(String[] args) throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {enabled: false}
                sites:
                  - name: unreachable
                    hosts: [www.unreachable.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: %s, httpPort: 8080}]
                """.formatted(args[0]))) {
            RawHttp.Response response = GatewayErrors.get(gateway.port(), "www.unreachable.test", "/", "");
            Files.writeString(Path.of(args[1]), DocExamples.text(response), StandardCharsets.UTF_8);
        }
    }
}
