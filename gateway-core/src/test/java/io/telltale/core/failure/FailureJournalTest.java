package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FailureJournalTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void oldestEntryIsDroppedWhenFull() {
        FailureJournal journal = new FailureJournal(3);
        for (int i = 0; i < 5; i++) {
            journal.record(entry("r" + i, FailureCode.ORIGIN_CONNECTION_REFUSED));
        }

        assertThat(journal.find("r0")).isEmpty();
        assertThat(journal.find("r1")).isEmpty();
        assertThat(journal.find("r4")).isPresent();
        assertThat(journal.recent(null, 10)).extracting(JournalEntry::requestId).containsExactly("r4", "r3", "r2");
    }

    @Test
    void recentFiltersByCodeNewestFirstWhenAsked() {
        FailureJournal journal = new FailureJournal(10);
        journal.record(entry("a", FailureCode.ORIGIN_CONNECT_TIMEOUT));
        journal.record(entry("b", FailureCode.ORIGIN_CONNECTION_REFUSED));
        journal.record(entry("c", FailureCode.ORIGIN_CONNECT_TIMEOUT));
        journal.record(entry("d", FailureCode.ORIGIN_CONNECT_TIMEOUT));

        assertThat(journal.recent(FailureCode.ORIGIN_CONNECT_TIMEOUT, 2)).extracting(JournalEntry::requestId).containsExactly("d", "c");
    }

    @Test
    void everyRecordIsKeptWhenManyThreadsRecordAtOnce() throws Exception {
        FailureJournal journal = new FailureJournal(4000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1000; i++) {
                        journal.record(entry(thread + "-" + i, FailureCode.ORIGIN_CONNECTION_CLOSED));
                    }
                    return null;
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(journal.recent(null, 5000)).hasSize(4000);
        assertThat(journal.find("3-999")).isPresent();
    }

    @Test
    void entryJsonHoldsTheFullRecordWhenRendered() throws IOException {
        RequestTimeline t = new RequestTimeline(1_000_000);
        t.dnsStarted(1_000_000);
        t.dnsDone(3_000_000);
        Failure failure = new Failure(FailureCode.NON_S3_ORIGIN_DNS_ERROR, null, java.util.Map.of("rcode", "NXDOMAIN"),
                "no such name", Evidence.builder().put("resolver", "127.0.0.53").build(), List.of("dig it"));
        JournalEntry entry = new JournalEntry("req-1", T0, "shop", "origin.test:443", "GET", "www.example", "/x",
                failure, JournalEntry.Timings.of(t), false);

        JsonNode json = new ObjectMapper().readTree(FailureJournal.toJson(entry));

        assertThat(json.get("requestId").asText()).isEqualTo("req-1");
        assertThat(json.get("time").asText()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(json.get("origin").asText()).isEqualTo("origin.test:443");
        assertThat(json.get("timeline").get("dnsMillis").asLong()).isEqualTo(2);
        assertThat(json.get("timeline").get("connectMillis").asLong()).isEqualTo(-1);
        assertThat(json.get("failure").get("code").asText()).isEqualTo("NonS3OriginDnsError");
        assertThat(json.get("failure").get("proxyStatusParams").get("rcode").asText()).isEqualTo("NXDOMAIN");
        assertThat(json.get("failure").get("evidence").get("resolver").asText()).isEqualTo("127.0.0.53");
        assertThat(json.get("failure").get("remediation").get(0).asText()).isEqualTo("dig it");

        JsonNode list = new ObjectMapper().readTree(FailureJournal.toJson(List.of(entry)));
        assertThat(list.get("entries").get(0).get("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void zeroCapacityIsRefusedWhenCreated() {
        assertThatThrownBy(() -> new FailureJournal(0)).hasMessage("capacity: 0 (expected: > 0)");
    }

    private static JournalEntry entry(String id, FailureCode code) {
        return new JournalEntry(id, T0, "site", "o:80", "GET", "h", "/", Failure.of(code, "d", Evidence.empty()), null, false);
    }
}
