package io.telltale.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
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
        return new AccessRecord(1_764_756_000_123L, id, "127.0.0.1", "www.test", "GET", "h1", "/a b", 200, 5, 3, "Miss",
                "-", 0, 1, -1, 2, background);
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
                    + "method=GET protocol=h1 path=\"/a b\" status=200 bytes=5 duration_ms=3 cache=Miss code=- dns_ms=0 "
                    + "connect_ms=1 tls_ms=-1 ttfb_ms=2\n");
            assertThat(written()).contains("id=second").endsWith("ttfb_ms=2 background=true");
            assertThat(log.dropped()).isZero();
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
