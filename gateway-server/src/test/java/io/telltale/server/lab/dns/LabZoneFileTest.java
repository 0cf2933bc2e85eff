package io.telltale.server.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.telltale.core.config.DnsConfig;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each DNS scenario of {@code config/lab.zone} fails the way its comment says. */
class LabZoneFileTest {
    private static LabDns lab;
    private static ExecutorService executor;
    private static DnsjavaOriginResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        lab = LabDns.start(Path.of("..", "config", "lab.zone"));
        executor = Executors.newFixedThreadPool(2);
        DnsConfig config = new DnsConfig(List.of(lab.resolver().resolverLiteral()), Duration.ofMillis(500), 1,
                Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1), 1000, 53, Duration.ofSeconds(3), Duration.ofSeconds(60),
                Duration.ofMillis(50));
        resolver = new DnsjavaOriginResolver(config, System::nanoTime, executor, lab.authoritativePorts());
    }

    @AfterAll
    static void stop() {
        resolver.close();
        lab.close();
        executor.shutdownNow();
    }

    private static Failure fail(String host) {
        Throwable t = catchThrowable(() -> resolver.resolve(host).get(10, TimeUnit.SECONDS));
        assertThat(t).hasCauseInstanceOf(FailureException.class);
        return ((FailureException) t.getCause()).failure();
    }

    @Test
    void healthyNamesResolveToLoopback() throws Exception {
        ResolvedOrigin www = resolver.resolve("cdn.lab.test").get(5, TimeUnit.SECONDS);
        assertThat(www.cnameChain()).containsExactly("www.lab.test");
        assertThat(www.addresses()).allMatch(a -> a.isLoopbackAddress());
        assertThat(resolver.resolve("truncated.lab.test").get(5, TimeUnit.SECONDS).addresses()).hasSize(1);
    }

    @Test
    void everyScenarioFailsWithItsOwnCause() {
        assertThat(fail("nxdomain.lab.test").proxyStatusParams()).containsEntry("rcode", "NXDOMAIN");
        assertThat(fail("nodata.lab.test").proxyStatusParams()).containsEntry("rcode", "NOERROR");
        assertThat(fail("servfail.lab.test").proxyStatusParams()).containsEntry("rcode", "SERVFAIL").containsEntry("info-code", 22);
        assertThat(fail("refused.lab.test").proxyStatusParams()).containsEntry("rcode", "REFUSED");
        assertThat(fail("timeout.lab.test").proxyStatusError()).isEqualTo("dns_timeout");
        assertThat(fail("dangling.lab.test").evidence().get("missingTarget")).isEqualTo("deleted-app.lab.test");
        assertThat(fail("loop1.lab.test").detail()).contains("never reaches an address");
        assertThat(fail("bogus.lab.test").proxyStatusParams()).containsEntry("info-code", 6);
    }

    @Test
    void lameDelegationIsDiagnosed() {
        Failure f = fail("www.lame.lab.test");
        assertThat(f.proxyStatusParams()).containsEntry("rcode", "SERVFAIL").containsEntry("info-code", 22);
        assertThat(f.evidence().get("delegation").toString()).contains("SERVER_REFUSED").contains("ns1.lame.lab.test");
    }
}
