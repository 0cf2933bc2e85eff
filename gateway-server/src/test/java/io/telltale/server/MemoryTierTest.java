package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory tier through the gateway: bounded by what its objects cost, and hits that are the stored bytes. */
class MemoryTierTest {
    private static final long MAX_SIZE = 128 * 1024;

    private TestOrigin origin;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        gateway = GatewayFixture.start("""
                server: {httpPort: 0}
                admin: {port: 0, token: s3cret}
                cache: {maxSize: 128KiB}
                sites:
                  - name: www
                    hosts: [www.test]
                    allowedOriginNetworks: [127.0.0.0/8]
                    cache: {defaultTtl: 1h}
                    origins:
                      - host: 127.0.0.1
                        httpPort: %d
                """.formatted(origin.port()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        origin.close();
    }

    @Test
    void evictionKeepsTheCountedBytesUnderMaxSize() throws Exception {
        try (RawHttp client = gateway.client()) {
            for (int i = 0; i < 400; i++) {
                RawHttp.Response miss = client.send("GET /cacheable/o" + i + " HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
                // Whether the head may already say "stored" depends on the body arriving with it; the counts say it.
                assertThat(miss.header("Cache-Status")).startsWith("telltale; fwd=uri-miss");
            }
        }
        long bytes = Metrics.read(gateway, "telltale_cache_memory_bytes");
        long objects = Metrics.read(gateway, "telltale_cache_memory_objects");

        assertThat(bytes).isPositive().isLessThanOrEqualTo(MAX_SIZE);
        assertThat(objects).isPositive().isLessThan(400);
        assertThat(Metrics.read(gateway, "telltale_cache_evictions")).isPositive();
        // Each object costs its buffer, its key and the entry's own objects, far more than its ~25-byte body.
        assertThat(bytes / objects).isGreaterThan(400);
    }

    @Test
    void aHitIsTheStoredResponseByteForByte() throws Exception {
        RawHttp.Response miss;
        RawHttp.Response hit;
        RawHttp.Response again;
        try (RawHttp client = gateway.client()) {
            miss = client.send("GET /length/70000 HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            hit = client.send("GET /length/70000 HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
            again = client.send("GET /length/70000 HTTP/1.1\r\nHost: www.test\r\n\r\n").read();
        }
        byte[] expected = new byte[70000];
        System.arraycopy(TestOrigin.pattern(65536), 0, expected, 0, 65536);
        System.arraycopy(TestOrigin.pattern(65536), 0, expected, 65536, 70000 - 65536);

        assertThat(miss.body()).isEqualTo(expected);
        assertThat(hit.header("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(hit.body()).isEqualTo(expected);
        assertThat(again.body()).isEqualTo(expected);
        for (String field : new String[] {"content-type", "content-length", "via"}) {
            assertThat(hit.header(field)).as(field).isEqualTo(miss.header(field)).isEqualTo(again.header(field));
        }
        assertThat(hit.header("date")).isEqualTo(again.header("date"));
        assertThat(origin.requests()).hasSize(1);
    }
}
