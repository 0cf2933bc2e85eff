package io.telltale.server.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.telltale.core.config.DnsConfig;
import io.telltale.core.dns.DnsjavaOriginResolver;
import io.telltale.core.dns.ResolvedOrigin;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DnsjavaOriginResolverTest {
    private static LabDnsServer server;
    private static ExecutorService executor;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @BeforeAll
    static void start() throws Exception {
        server = LabDnsServer.builder().zone(TestZones.EXAMPLE).zone(TestZones.OTHER).zone(TestZones.big()).start();
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.shutdownNow();
    }

    private DnsjavaOriginResolver resolver(DnsConfig config) {
        return new DnsjavaOriginResolver(config, clock::get, executor);
    }

    private DnsjavaOriginResolver resolver() {
        return resolver(TestZones.config(server.resolverLiteral()));
    }

    private static Failure failureOf(CompletableFuture<?> future) {
        Throwable t = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
        assertThat(t).hasCauseInstanceOf(FailureException.class);
        Failure f = ((FailureException) t.getCause()).failure();
        assertThat(f.code()).isEqualTo(FailureCode.NON_S3_ORIGIN_DNS_ERROR);
        return f;
    }

    private String dig() {
        return "dig @127.0.0.1 -p " + server.port();
    }

    @Test
    void resolvesAddressRecordsWithIpv4First() throws Exception {
        ResolvedOrigin o = resolver().resolve("dual.example.test").get(5, TimeUnit.SECONDS);
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(o.stale()).isFalse();
        assertThat(o.evidence().get("resolver")).isEqualTo(server.resolverLiteral());
    }

    @Test
    void followsCnameChainAndReportsIt() throws Exception {
        ResolvedOrigin o = resolver().resolve("www.example.test").get(5, TimeUnit.SECONDS);
        assertThat(o.cnameChain()).containsExactly("alias.example.test", "shop.example.test");
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
    }

    @Test
    void followsCnameIntoAnotherZoneWithASecondQuery() throws Exception {
        ResolvedOrigin o = resolver().resolve("ext.example.test").get(5, TimeUnit.SECONDS);
        assertThat(o.cnameChain()).containsExactly("www.other.test");
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.9");
    }

    @Test
    void resolvesIpLiteralWithoutAnyQuery() throws Exception {
        long before = server.queryCount();
        ResolvedOrigin o = resolver().resolve("127.0.0.7").get(1, TimeUnit.SECONDS);
        ResolvedOrigin v6 = resolver().resolve("[::1]").get(1, TimeUnit.SECONDS);
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.7");
        assertThat(v6.addresses()).extracting(InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
        assertThat(server.queryCount()).isEqualTo(before);
    }

    @Test
    void retriesOverTcpWhenTheUdpAnswerIsTruncated() throws Exception {
        long tcpBefore = server.tcpQueryCount();
        ResolvedOrigin o = resolver().resolve("many.big.test").get(5, TimeUnit.SECONDS);
        assertThat(o.addresses()).hasSize(120);
        assertThat(server.tcpQueryCount()).isGreaterThan(tcpBefore);
    }

    @Test
    void nxdomainNamesTheResolverTheSoaAndTheNegativeCacheTime() {
        Failure f = failureOf(resolver().resolve("missing.example.test"));
        assertThat(f.proxyStatusError()).isEqualTo("dns_error");
        assertThat(f.proxyStatusParams()).containsExactly(Map.entry("rcode", "NXDOMAIN"));
        assertThat(f.detail()).isEqualTo("The resolver " + server.resolverLiteral()
                + " answered NXDOMAIN for missing.example.test: the name does not exist.");
        assertThat(f.evidence().get("query")).isEqualTo("missing.example.test. A");
        assertThat(f.evidence().get("resolver")).isEqualTo(server.resolverLiteral());
        assertThat(f.evidence().get("answeredInMs")).isInstanceOf(Long.class);
        assertThat((String) f.evidence().get("soa")).contains("example.test.").contains("2024010101");
        assertThat(f.evidence().get("negativeTtlSeconds")).isEqualTo(60L);
        assertThat((String) f.evidence().get("negativeCache")).contains("60 s");
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains(dig() + " missing.example.test A"));
    }

    @Test
    void nodataIsNoerrorWithoutAddress() {
        Failure f = failureOf(resolver().resolve("nodata.example.test"));
        assertThat(f.proxyStatusParams()).containsExactly(Map.entry("rcode", "NOERROR"));
        assertThat(f.detail()).contains("NOERROR with no A or AAAA record for nodata.example.test");
        assertThat(f.evidence().get("negativeTtlSeconds")).isEqualTo(60L);
    }

    @Test
    void servfailCarriesTheExtendedErrorCodeAndText() {
        Failure f = failureOf(resolver().resolve("servfail.example.test"));
        assertThat(f.proxyStatusParams()).containsExactly(Map.entry("rcode", "SERVFAIL"), Map.entry("info-code", 22));
        assertThat(f.detail()).contains("SERVFAIL").contains("EDE 22 No Reachable Authority: no reachable authority: ns1.broken.test timed out");
        assertThat(f.evidence().get("extendedError")).isEqualTo(Map.of("infoCode", 22, "name", "No Reachable Authority",
                "text", "no reachable authority: ns1.broken.test timed out"));
        // EDE 22 says no authority answered: nothing about DNSSEC, so no DNSSEC check is suggested.
        assertThat(f.remediation()).noneSatisfy(r -> assertThat(r).contains("+cd"))
                .anySatisfy(r -> assertThat(r).contains("dig servfail.example.test NS +short"));
    }

    @Test
    void refusedIsReportedWithItsRcode() {
        Failure f = failureOf(resolver().resolve("refused.example.test"));
        assertThat(f.proxyStatusParams()).containsExactly(Map.entry("rcode", "REFUSED"));
        assertThat(f.detail()).contains("answered REFUSED for refused.example.test");
    }

    @Test
    void timeoutIsDnsTimeoutAfterEveryAttempt() {
        DnsConfig config = new DnsConfig(List.of(server.resolverLiteral()), Duration.ofMillis(200), 2, Duration.ZERO,
                Duration.ofDays(1), Duration.ofHours(1), 100, 53, Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofMillis(50));
        long before = server.queryCount("timeout.example.test", "A");
        Failure f = failureOf(resolver(config).resolve("timeout.example.test"));
        assertThat(f.proxyStatusError()).isEqualTo("dns_timeout");
        assertThat(f.proxyStatusParams()).isEmpty();
        assertThat(f.detail()).contains("timed out").contains("2 attempts");
        assertThat((List<?>) f.evidence().get("attempts")).hasSize(2);
        assertThat(server.queryCount("timeout.example.test", "A") - before).isEqualTo(2);
    }

    private DnsjavaOriginResolver slowResolver() {
        return slowResolver(Duration.ofMillis(50));
    }

    private DnsjavaOriginResolver slowResolver(Duration resolutionDelay) {
        // A query timeout far above the resolution delay: an answer in well under it did not wait for the timeout.
        return resolver(new DnsConfig(List.of(server.resolverLiteral()), Duration.ofSeconds(4), 1, Duration.ZERO,
                Duration.ofDays(1), Duration.ofHours(1), 100, 53, Duration.ZERO, Duration.ofSeconds(60),
                resolutionDelay));
    }

    @Test
    void unansweredAaaaDoesNotHoldUpTheAAnswer() throws Exception {
        long start = System.nanoTime();
        ResolvedOrigin o = slowResolver().resolve("noaaaa.example.test").get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat((long) o.evidence().get("answeredInMs")).isLessThan(1_000);
        assertThat((String) o.evidence().get("resolutionDelay"))
                .startsWith("AAAA did not answer within 50 ms of A (RFC 8305 resolution delay)")
                .contains("served the A addresses alone, cached for 5 s unless AAAA answers");
        assertThat(server.queryCount("noaaaa.example.test", "AAAA")).isPositive();
    }

    @Test
    void unansweredADoesNotHoldUpTheAaaaAnswer() throws Exception {
        long start = System.nanoTime();
        ResolvedOrigin o = slowResolver().resolve("noa.example.test").get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
        assertThat((String) o.evidence().get("resolutionDelay")).startsWith("A did not answer within 50 ms of AAAA");
    }

    @Test
    void aPartialAnswerIsCachedOnlyBriefly() throws Exception {
        DnsjavaOriginResolver resolver = slowResolver();
        resolver.resolve("noaaaa.example.test").get(5, TimeUnit.SECONDS);
        long asked = server.queryCount("noaaaa.example.test", "A");

        clock.addAndGet(Duration.ofSeconds(4).toNanos());
        resolver.resolve("noaaaa.example.test").get(5, TimeUnit.SECONDS);
        assertThat(server.queryCount("noaaaa.example.test", "A")).isEqualTo(asked);

        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        resolver.resolve("noaaaa.example.test").get(5, TimeUnit.SECONDS);
        assertThat(server.queryCount("noaaaa.example.test", "A")).isEqualTo(asked + 1);
    }

    @Test
    void aWholeAnswerIsCachedForItsTtlAndSaysNothingOfTheDelay() throws Exception {
        // Both families answer: a delay far above a loaded machine's pauses lets the second always arrive within it.
        DnsjavaOriginResolver resolver = slowResolver(Duration.ofSeconds(3));
        ResolvedOrigin o = resolver.resolve("dual.example.test").get(5, TimeUnit.SECONDS);
        long asked = server.queryCount("dual.example.test", "A");

        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        resolver.resolve("dual.example.test").get(5, TimeUnit.SECONDS);

        assertThat(o.evidence().facts()).doesNotContainKey("resolutionDelay");
        assertThat(server.queryCount("dual.example.test", "A")).isEqualTo(asked);
    }

    @Test
    void danglingCnameNamesTheChainAndTheMissingTarget() {
        Failure f = failureOf(resolver().resolve("dangling.example.test"));
        assertThat(f.proxyStatusParams()).containsExactly(Map.entry("rcode", "NXDOMAIN"));
        assertThat(f.evidence().get("cnameChain")).isEqualTo(List.of("dangling.example.test", "gone.example.test"));
        assertThat(f.evidence().get("missingTarget")).isEqualTo("gone.example.test");
        assertThat(f.detail()).contains("alias (CNAME) of gone.example.test").contains("dangling");
        assertThat(f.remediation()).anySatisfy(r -> assertThat(r).contains(dig() + " gone.example.test A"));
    }

    @Test
    void cnameLoopIsDetected() {
        Failure f = failureOf(resolver().resolve("loop1.example.test"));
        assertThat(f.detail()).contains("never reaches an address").contains("loop1.example.test");
        assertThat(f.evidence().get("cnameChain").toString()).contains("loop2.example.test");
    }

    @Test
    void noResolversFailsWithoutQuerying() {
        DnsConfig config = TestZones.config(List.of(), Duration.ZERO, Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO);
        Failure f = failureOf(resolver(config).resolve("shop.example.test"));
        assertThat(f.evidence().get("problem")).isEqualTo("no DNS resolvers configured: dns.resolvers is empty");
        assertThat(f.detail()).contains("dns.resolvers is empty");
    }

    @Test
    void failsOverToTheNextResolverWhenOneIsDown() throws Exception {
        DnsConfig config = TestZones.config(List.of("127.0.0.1:1", server.resolverLiteral()), Duration.ZERO,
                Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO);
        ResolvedOrigin o = resolver(config).resolve("shop.example.test").get(5, TimeUnit.SECONDS);
        assertThat(o.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(o.evidence().get("resolver")).isEqualTo(server.resolverLiteral());
    }

    @Test
    void ttlIsClampedToTheConfiguredBounds() throws Exception {
        DnsConfig config = TestZones.config(List.of(server.resolverLiteral()), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ZERO);
        DnsjavaOriginResolver r = resolver(config);
        assertThat(r.resolve("short.example.test").get(5, TimeUnit.SECONDS).ttl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.resolve("long.example.test").get(5, TimeUnit.SECONDS).ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(r.resolve("shop.example.test").get(5, TimeUnit.SECONDS).ttl()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void positiveAnswerIsCachedUntilItsClampedTtlRunsOut() throws Exception {
        DnsConfig config = TestZones.config(List.of(server.resolverLiteral()), Duration.ofSeconds(30), Duration.ofHours(1),
                Duration.ofHours(1), Duration.ZERO);
        DnsjavaOriginResolver r = resolver(config);
        long before = server.queryCount("short.example.test", "A");
        r.resolve("short.example.test").get(5, TimeUnit.SECONDS);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(29));
        r.resolve("short.example.test").get(5, TimeUnit.SECONDS);
        assertThat(server.queryCount("short.example.test", "A") - before).isEqualTo(1);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        r.resolve("short.example.test").get(5, TimeUnit.SECONDS);
        assertThat(server.queryCount("short.example.test", "A") - before).isEqualTo(2);
    }

    @Test
    void negativeAnswerIsServedFromCacheWithTimeLeftAndExpiresAfterSoaMinimum() {
        DnsjavaOriginResolver r = resolver();
        failureOf(r.resolve("neg.example.test"));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(15));
        Failure cached = failureOf(r.resolve("neg.example.test"));
        assertThat(cached.evidence().get("negativeCache")).isEqualTo("negatively cached, 45 s left");
        assertThat(cached.evidence().get("resolver")).isEqualTo(server.resolverLiteral());
        assertThat(server.queryCount("neg.example.test", "A")).isEqualTo(1);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(46));
        failureOf(r.resolve("neg.example.test"));
        assertThat(server.queryCount("neg.example.test", "A")).isEqualTo(2);
    }

    @Test
    void tenThousandLookupsOfAFailingNameSendOneQueryOfEachType() throws Exception {
        DnsjavaOriginResolver r = resolver();
        long before = server.queryCount();
        List<CompletableFuture<ResolvedOrigin>> lookups = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            lookups.add(r.resolve("nobody.example.test"));
        }
        int failed = 0;
        for (CompletableFuture<ResolvedOrigin> f : lookups) {
            Throwable t = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
            failed += t != null && t.getCause() instanceof FailureException ? 1 : 0;
        }
        assertThat(failed).isEqualTo(10_000);
        // One lookup: its A and AAAA queries, sent together.
        assertThat(server.queryCount() - before).isEqualTo(2);
        assertThat(server.queryCount("nobody.example.test", "A")).isEqualTo(1);
        assertThat(server.queryCount("nobody.example.test", "AAAA")).isEqualTo(1);
    }

    @Test
    void concurrentLookupsOfOneNameShareOneQuery() throws Exception {
        DnsjavaOriginResolver r = resolver();
        long before = server.queryCount("dual.example.test", "A");
        List<CompletableFuture<ResolvedOrigin>> lookups = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lookups.add(r.resolve("DUAL.example.test."));
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(server.queryCount("dual.example.test", "A") - before).isEqualTo(1);
    }

    @Test
    void servesStaleAnswerWhenEveryResolverFails() throws Exception {
        try (LabDnsServer flaky = LabDnsServer.builder().zone(TestZones.EXAMPLE).start()) {
            DnsjavaOriginResolver r = resolver(TestZones.config(List.of(flaky.resolverLiteral()), Duration.ZERO,
                    Duration.ofDays(1), Duration.ofMinutes(10), Duration.ZERO));
            r.resolve("shop.example.test").get(5, TimeUnit.SECONDS);
            int port = flaky.port();
            flaky.close();
            clock.addAndGet(TimeUnit.SECONDS.toNanos(301));
            ResolvedOrigin stale = r.resolve("shop.example.test").get(5, TimeUnit.SECONDS);
            assertThat(stale.stale()).isTrue();
            assertThat(stale.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
            assertThat((String) stale.evidence().get("stale")).contains("expired 1 s ago");
            assertThat((String) stale.evidence().get("staleBecause")).contains("127.0.0.1:" + port);
            clock.addAndGet(TimeUnit.MINUTES.toNanos(11));
            assertThat(catchThrowable(() -> r.resolve("shop.example.test").get(5, TimeUnit.SECONDS)))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .hasCauseInstanceOf(FailureException.class);
        }
    }

    @Test
    void nxdomainIsNeverAnsweredWithAStaleAnswer() throws Exception {
        DnsjavaOriginResolver r = resolver();
        ResolvedOrigin fresh = r.resolve("shop.example.test").get(5, TimeUnit.SECONDS);
        assertThat(fresh.stale()).isFalse();
        assertThat(catchThrowable(() -> r.resolve("gone.example.test").join())).isInstanceOf(CompletionException.class);
    }
}
