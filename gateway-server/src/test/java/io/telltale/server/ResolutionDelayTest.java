package io.telltale.server;

import static io.telltale.server.GatewayErrors.assertGatewayError;
import static io.telltale.server.GatewayErrors.evidence;
import static io.telltale.server.GatewayErrors.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.telltale.server.lab.dns.LabDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A and AAAA are asked at once and one unanswered family does not hold up the other's addresses beyond the
 * resolution delay (RFC 8305): a lab DNS server on loopback drops one query type, the gateway serves anyway.
 */
class ResolutionDelayTest {
    private static final String ZONE = """
            $ORIGIN example.test.
            $TTL 60
            @       IN SOA ns1 hostmaster 1 3600 600 86400 1
            @       IN NS  ns1
            ns1     IN A   127.0.0.1
            noaaaa  IN A   127.0.0.1
            noaaaa  IN AAAA ::1
            noa     IN A   127.0.0.1
            noa     IN AAAA ::1
            neither IN A   127.0.0.1
            neither IN AAAA ::1
            ;@fault noaaaa DROP_AAAA
            ;@fault noa DROP_A
            ;@fault neither DROP
            """;
    /** The query timeout: an answer in well under it did not wait for the unanswered query. */
    private static final long QUERY_TIMEOUT_MS = 3_000;

    private static LabDnsServer dns;
    private static NamedOrigin four;
    private static NamedOrigin six;
    private static GatewayFixture gateway;
    private final ListAppender<ILoggingEvent> accessLines = new ListAppender<>();
    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("telltale.access");
    private Level accessLevel;

    @BeforeAll
    static void start() throws Exception {
        dns = LabDnsServer.builder().zone(ZONE).start();
        four = NamedOrigin.start("four", new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        six = NamedOrigin.start("six", new InetSocketAddress(InetAddress.getByAddress(loopback6), four.port()));
        StringBuilder sites = new StringBuilder();
        for (String name : new String[] {"noaaaa", "noa", "neither"}) {
            sites.append("""
                      - name: %1$s
                        hosts: [%1$s.test]
                        detail: full
                        cache: {errorTtl: 0s}
                        allowedOriginNetworks: [127.0.0.0/8, "::1/128"]
                        origins: [{host: %1$s.example.test, httpPort: %2$d, connectTimeout: 2s}]
                    """.formatted(name, four.port()));
        }
        gateway = GatewayFixture.start("""
                server: {bindAddress: 127.0.0.1, httpPort: 0}
                admin: {enabled: false}
                dns:
                  resolvers: ["%s"]
                  queryTimeout: %dms
                  attempts: 1
                  diagnosisBudget: 1s
                  authoritativePort: %d
                sites:
                %s""".formatted(dns.resolverLiteral(), QUERY_TIMEOUT_MS, dns.port(), sites));
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        four.close();
        six.close();
        dns.close();
    }

    @BeforeEach
    void readAccessLines() {
        accessLevel = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        accessLines.start();
        accessLogger.addAppender(accessLines);
    }

    @AfterEach
    void stopReadingAccessLines() {
        accessLogger.detachAppender(accessLines);
        accessLogger.setLevel(accessLevel);
    }

    /** Returns a time field ({@code dns_ms}, ...) of the site's access log line, once the line is written. */
    private long accessMillis(String site, String field) {
        Pattern line = Pattern.compile("host=" + site + "\\.test .* " + field + "=(-?\\d+) ");
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (ILoggingEvent e : accessLines.list) {
                Matcher m = line.matcher(e.getFormattedMessage());
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            return null;
        }, ms -> ms != null);
    }

    @Test
    void aNameWhoseAaaaQueryGoesUnansweredIsServedOverIpv4WithoutWaitingForTheTimeout() throws IOException {
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "noaaaa.test", "/", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("four");
        assertThat(accessMillis("noaaaa", "dns_ms")).isLessThan(1_000);
        assertThat(dns.queryCount("noaaaa.example.test", "AAAA")).isPositive();
    }

    @Test
    void aNameWhoseAQueryGoesUnansweredIsServedOverIpv6WithoutWaitingForTheTimeout() throws IOException {
        RawHttp.Response r = GatewayErrors.get(gateway.port(), "noa.test", "/", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("six");
        assertThat(accessMillis("noa", "dns_ms")).isLessThan(1_000);
        assertThat(dns.queryCount("noa.example.test", "A")).isPositive();
    }

    @Test
    void aNameWhoseQueriesBothGoUnansweredIsStillADnsTimeout() throws IOException {
        RawHttp.Response r = GatewayErrors.problemGet(gateway.port(), "neither.test", "/");

        assertGatewayError(r, 502, "NonS3OriginDnsError");
        Map<String, Object> problem = problem(r);
        assertThat(problem).containsEntry("phase", "dns");
        assertThat(evidence(problem).get("answer")).asString().startsWith("timeout after ");
        assertThat(accessMillis("neither", "duration_ms")).isGreaterThanOrEqualTo(QUERY_TIMEOUT_MS);
    }
}
