package io.telltale.server.lab.dns;

import io.telltale.core.config.DnsConfig;
import java.time.Duration;
import java.util.List;

/** Zone texts and resolver settings shared by the DNS tests. */
final class TestZones {
    static final String EXAMPLE = """
            $ORIGIN example.test.
            $TTL 300
            @        3600 IN SOA ns1.example.test. hostmaster.example.test. 2024010101 3600 600 86400 60
            @             IN NS  ns1
            ns1           IN A   127.0.0.1
            shop      300 IN A   127.0.0.1
            short       5 IN A   127.0.0.1
            long  9999999 IN A   127.0.0.1
            dual          IN A   127.0.0.1
            dual          IN AAAA ::1
            www           IN CNAME alias
            alias         IN CNAME shop
            ext           IN CNAME www.other.test.
            nodata        IN TXT "no address here"
            dangling      IN CNAME gone
            loop1         IN CNAME loop2
            loop2         IN CNAME loop1
            servfail      IN A   127.0.0.1
            refused       IN A   127.0.0.1
            timeout       IN A   127.0.0.1
            noaaaa        IN A   127.0.0.1
            noaaaa        IN AAAA ::1
            noa           IN A   127.0.0.1
            noa           IN AAAA ::1
            ;@fault noaaaa DROP_AAAA
            ;@fault noa DROP_A
            ;@fault servfail SERVFAIL 22 no reachable authority: ns1.broken.test timed out
            ;@fault refused REFUSED
            ;@fault timeout DROP
            """;

    static final String OTHER = """
            $ORIGIN other.test.
            @   600 IN SOA ns1.other.test. hostmaster.other.test. 7 3600 600 86400 30
            @   600 IN NS  ns1.example.test.
            www 120 IN A   127.0.0.9
            """;

    private TestZones() {
    }

    /** Returns a zone with a name holding so many A records that the answer cannot fit one UDP datagram. */
    static String big() {
        StringBuilder zone = new StringBuilder("""
                $ORIGIN big.test.
                @ 600 IN SOA ns1.big.test. hostmaster.big.test. 1 3600 600 86400 30
                @ 600 IN NS ns1
                ns1 IN A 127.0.0.1
                """);
        for (int i = 1; i <= 120; i++) {
            zone.append("many 60 IN A 127.0.1.").append(i).append('\n');
        }
        return zone.toString();
    }

    /** Returns resolver settings for tests: short timeouts, one attempt, the diagnosis off unless given a budget. */
    static DnsConfig config(List<String> resolvers, Duration minTtl, Duration maxTtl, Duration staleWindow, Duration budget) {
        return new DnsConfig(resolvers, Duration.ofMillis(300), 1, minTtl, maxTtl, staleWindow, 1000, 53, budget,
                Duration.ofSeconds(60), Duration.ofMillis(50));
    }

    static DnsConfig config(String resolver) {
        return config(List.of(resolver), Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO);
    }
}
