package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.util.NetUtil;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.dns.DelegationDiagnoser;
import io.telltale.server.edge.Transport;
import io.telltale.server.health.HealthChecker;
import io.telltale.server.health.OriginDoctor;
import io.telltale.server.health.OriginHealth;
import io.telltale.server.health.OriginStatus;
import io.telltale.server.lab.dns.LabDnsServer;
import io.telltale.server.proxy.Gateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real delegation on loopback whose second name server does not serve the zone: the name still resolves
 * through the first, the origin's health checks pass, and the origin doctor warns of the lame server found by
 * the gateway's own delegation diagnosis.
 */
class OriginDoctorDelegationTest {
    private static final String PARENT = """
            $ORIGIN test.
            @             3600 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
            @                  IN NS  ns.test.
            ns                 IN A   127.0.0.1
            shaky              IN NS  ns1.shaky.test.
            shaky              IN NS  ns2.shaky.test.
            ns1.shaky          IN A   127.0.0.2
            ns2.shaky          IN A   127.0.0.3
            """;

    private static final String CHILD = """
            $ORIGIN shaky.test.
            @   IN SOA ns1.shaky.test. hostmaster.shaky.test. 1 3600 600 86400 60
            @   IN NS  ns1
            @   IN NS  ns2
            ns1 IN A   127.0.0.2
            ns2 IN A   127.0.0.3
            www IN A   127.0.0.1
            """;

    private static final Map<InetAddress, Integer> PORTS = new ConcurrentHashMap<>();
    private static final HandScheduler SCHEDULER = new HandScheduler();
    private static LabDnsServer parent;
    private static LabDnsServer child;
    private static LabDnsServer lame;
    private static NamedOrigin origin;
    private static EventLoopGroup loops;
    private static Gateway gateway;
    private static HealthChecker checker;

    @BeforeAll
    static void start() throws Exception {
        parent = LabDnsServer.builder().zone(PARENT).recursion(PORTS::get).start();
        child = LabDnsServer.builder().bindAddress(ip("127.0.0.2")).zone(CHILD).start();
        // Serves no zone: it refuses every query for shaky.test.
        lame = LabDnsServer.builder().bindAddress(ip("127.0.0.3")).start();
        for (LabDnsServer s : List.of(parent, child, lame)) {
            PORTS.put(s.address().getAddress(), s.port());
        }
        origin = NamedOrigin.start("www", new InetSocketAddress(ip("127.0.0.1"), 0));
        String yaml = """
                server: {httpPort: 0}
                dns:
                  resolvers: ["%s"]
                  queryTimeout: 1s
                  attempts: 1
                sites:
                  - name: shaky
                    hosts: [shaky.example]
                    allowedOriginNetworks: [127.0.0.0/8]
                    originGroup: {policy: failover, healthCheck: {timeout: 5s}}
                    origins: [{host: www.shaky.test, httpPort: %d}]
                """.formatted(parent.resolverLiteral(), origin.port());
        Transport transport = Transport.best();
        gateway = new GatewayAssembly(PORTS::get).assemble(ConfigLoader.parse(yaml, "doctor.yaml"), transport);
        loops = transport.newGroup(1);
        checker = new HealthChecker(gateway, SCHEDULER, bound -> bound);
        checker.schedule(loops);
    }

    @AfterAll
    static void stop() throws Exception {
        checker.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        gateway.close();
        origin.close();
        for (LabDnsServer s : List.of(parent, child, lame)) {
            s.close();
        }
    }

    @Test
    void aLameNameServerInTheOriginsDelegationIsWarnedOfWhileTheOriginServes() {
        SCHEDULER.round();

        OriginHealth health = gateway.router().sites().get(0).group().health();
        assertThat(health.status(0).healthy()).isTrue();
        assertThat(origin.requests()).as("the name resolved through the serving name server").isPositive();
        DelegationDiagnoser diagnoser = gateway.connector().resolver().diagnoser().orElseThrow();
        await().atMost(Duration.ofSeconds(15)).until(() -> diagnoser.latest("www.shaky.test").isPresent());

        SCHEDULER.round();

        OriginStatus status = health.status(0);
        assertThat(status.healthy()).isTrue();
        assertThat(status.warnings()).containsOnlyKeys(OriginDoctor.LAME_DELEGATION);
        assertThat(status.warnings().get(OriginDoctor.LAME_DELEGATION))
                .startsWith("name servers of the origin's name fail while others answer: ")
                .contains("127.0.0.3:" + lame.port()).doesNotContain("127.0.0.2:");
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
    }
}
