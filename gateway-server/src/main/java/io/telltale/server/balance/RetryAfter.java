package io.telltale.server.balance;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an origin's {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
final class RetryAfter {
    /** The longest an origin may take itself out of its group, so one bad header cannot do it for days. */
    static final long MAX_MILLIS = 3_600_000;

    private RetryAfter() {
    }

    /** Returns how many milliseconds from now the origin asks to be left alone, capped, or -1 when unreadable. */
    static long millis(String value, long nowEpochMillis) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return v.length() > 7 ? MAX_MILLIS : Math.min(MAX_MILLIS, Long.parseLong(v) * 1000);
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, Math.min(MAX_MILLIS, at - nowEpochMillis));
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
