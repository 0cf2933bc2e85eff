package io.telltale.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telltale.core.config.AccessLogFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("telltale.access");
    private Level level;

    @BeforeEach
    void attach() {
        // The test configuration keeps access lines out of the build's output; these tests read them.
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    private static AccessRecord record(String id, boolean background) {
        return new AccessRecord(1_764_756_000_123L, id, "127.0.0.1", "www.test", "GET", "/a b", "h1", 200, 0, 5, 3, "Miss",
                "-", 0, 1, -1, 2, background, null);
    }

    private String written() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    @Test
    void writesEveryRecordAsOneKeyValueLineOffTheCallersThread() {
        try (AccessLog log = new AccessLog()) {
            log.log(record("first", false));
            log.log(record("second", true));

            await().atMost(Duration.ofSeconds(5)).until(() -> written().contains("id=second"));
            assertThat(written()).contains("time=2025-12-03T10:00:00.123Z id=first client=127.0.0.1 host=www.test "
                    + "method=GET path=\"/a b\" protocol=h1 status=200 bytes=5 bytes_in=0 duration_ms=3 cache=Miss code=- dns_ms=0 "
                    + "connect_ms=1 tls_ms=-1 ttfb_ms=2\n");
            assertThat(written()).contains("id=second").endsWith("ttfb_ms=2 background=true");
            assertThat(log.dropped()).isZero();
        }
    }

    @Test
    void writesOneJsonObjectPerLineWhenAskedWithTheSameFieldNames() throws Exception {
        try (AccessLog log = new AccessLog()) {
            log.format(AccessLogFormat.JSON);
            log.log(record("first", false));
            log.log(new AccessRecord(1_764_756_000_123L, "second", "127.0.0.1", "", "GET", "/q\"uote\\\u0001\ud800",
                    "h2", 502, 0, 0, 7, "Error", "OriginConnectionRefused", 0, 1, -1, -1, true,
                    "4bf92f3577b34da6a3ce929d0e0e4736"));

            await().atMost(Duration.ofSeconds(5)).until(() -> written().contains("\"id\":\"second\""));
            ObjectMapper json = new ObjectMapper();
            String[] objects = written().split("\n");
            assertThat(objects).hasSize(2);
            JsonNode first = json.readTree(objects[0]);
            assertThat(first.get("time").asText()).isEqualTo("2025-12-03T10:00:00.123Z");
            assertThat(first.get("path").asText()).isEqualTo("/a b");
            assertThat(first.get("status").isInt()).isTrue();
            assertThat(first.get("tls_ms").asLong()).isEqualTo(-1);
            assertThat(first.get("background").asBoolean()).isFalse();
            assertThat(first.has("trace_id")).isFalse();
            List<String> names = new ArrayList<>();
            first.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("time", "id", "client", "host", "method", "path", "protocol", "status",
                    "bytes", "bytes_in", "duration_ms", "cache", "code", "dns_ms", "connect_ms", "tls_ms", "ttfb_ms",
                    "background");
            JsonNode second = json.readTree(objects[1]);
            assertThat(second.get("host").asText()).isEqualTo("-");
            assertThat(second.get("path").asText()).isEqualTo("/q\"uote\\\u0001\ud800");
            assertThat(second.get("code").asText()).isEqualTo("OriginConnectionRefused");
            assertThat(second.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }

    @Test
    void writesWhatIsQueuedBeforeItCloses() {
        AccessLog log = new AccessLog();
        for (int i = 0; i < 100; i++) {
            log.log(record("r" + i, false));
        }
        log.close();

        assertThat(written()).contains("id=r0 ").contains("id=r99 ");
    }
}
