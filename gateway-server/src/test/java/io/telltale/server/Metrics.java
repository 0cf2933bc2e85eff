package io.telltale.server;

import java.io.IOException;

/** Reads one of the gateway's Prometheus metrics through its admin listener. */
final class Metrics {
    private Metrics() {
    }

    /** Returns the first sample of a metric, or -1 when the gateway does not export it. */
    static long read(GatewayFixture gateway, String name) throws IOException {
        return read(gateway.adminPort(), name);
    }

    /** Returns the first sample of a metric from the admin listener on this port, or -1. */
    static long read(int adminPort, String name) throws IOException {
        String text;
        try (RawHttp admin = new RawHttp(adminPort)) {
            text = admin.send("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
