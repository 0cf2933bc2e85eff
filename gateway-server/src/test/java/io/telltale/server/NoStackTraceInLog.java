package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** Fails a test when a log line written while it ran, its own clean-up included, carries a stack trace. */
final class NoStackTraceInLog implements BeforeEachCallback, AfterEachCallback {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @Override
    public void beforeEach(ExtensionContext context) {
        log.list.clear();
        log.start();
        root.addAppender(log);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root.detachAppender(log);
        assertThat(log.list).as("log lines with a stack trace")
                .filteredOn(event -> event.getThrowableProxy() != null).isEmpty();
    }
}
