package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * HTTP dates exactly as RFC 9110 §5.6.7 writes them: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}) and
 * the obsolete rfc850-date ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime-date ({@code Sun Nov  6
 * 08:49:37 1994}); the zone is GMT only and every separator is exact. Day and month names and the zone are
 * read without regard to case: RFC 9110 spells them case-sensitively, but a date in another case is still
 * unambiguous, and caches that keep a response such as {@code Expires: Thu, 18 AUG 2050 02:01:18 GMT} fresh
 * are what origins expect (the HTTP cache tests count it as optimal).
 *
 * <p>The day name is checked for its spelling but not against the date: RFC 9110 does not ask recipients to,
 * and the date is unambiguous without it.
 */
final class HttpDate {
    /** The result for a value that is not an HTTP date (dates are whole seconds, so no date maps to it). */
    static final long INVALID = Long.MIN_VALUE;

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final int IMF_LENGTH = 29;
    private static final int ASCTIME_LENGTH = 24;
    /** What follows "Weekday, " in an rfc850-date: {@code 06-Nov-94 08:49:37 GMT}. */
    private static final int RFC850_TAIL_LENGTH = 22;

    private HttpDate() {
    }

    /**
     * Returns the date of a field that must occur once, in epoch milliseconds, or {@link #INVALID} when the
     * field is absent, repeated or not an HTTP date; {@code nowMillis} places two-digit years.
     */
    static long field(HttpHeaders headers, CharSequence name, long nowMillis) {
        List<String> values = headers.getAll(name);
        return values.size() == 1 ? parse(values.get(0), nowMillis) : INVALID;
    }

    /**
     * Parses an HTTP date into epoch milliseconds, or returns {@link #INVALID}. A two-digit rfc850 year is
     * the latest year with those digits that is not more than 50 years after {@code nowMillis} (RFC 9110 §5.6.7).
     */
    static long parse(String text, long nowMillis) {
        String value = trimWhitespace(text);
        if (value.length() == IMF_LENGTH && value.charAt(3) == ',') {
            return imfFixdate(value);
        }
        if (value.length() == ASCTIME_LENGTH && value.charAt(3) == ' ') {
            return asctime(value);
        }
        int comma = value.indexOf(',');
        if (comma > 0 && value.length() == comma + 2 + RFC850_TAIL_LENGTH) {
            return rfc850(value, comma, nowMillis);
        }
        return INVALID;
    }

    /** Formats epoch milliseconds as an IMF-fixdate, the form a sender generates. */
    static String format(long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(IMF_LENGTH)
                .append(DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
        twoDigits(out, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        twoDigits(out, t.getYear() / 100);
        twoDigits(out, t.getYear() % 100).append(' ');
        twoDigits(out, t.getHour()).append(':');
        twoDigits(out, t.getMinute()).append(':');
        return twoDigits(out, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** {@code day-name "," SP day SP month SP year SP time-of-day SP "GMT"}. */
    private static long imfFixdate(String v) {
        if (indexOf(DAYS, v, 0, 3) < 0 || v.charAt(4) != ' ' || v.charAt(7) != ' ' || v.charAt(11) != ' '
                || v.charAt(16) != ' ' || v.charAt(25) != ' ' || !v.regionMatches(true, 26, "GMT", 0, 3)) {
            return INVALID;
        }
        int year = digits(v, 12, 4);
        return epochMillis(year, month(v, 8), digits(v, 5, 2), v, 17);
    }

    /** {@code day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year}. */
    private static long asctime(String v) {
        if (indexOf(DAYS, v, 0, 3) < 0 || v.charAt(7) != ' ' || v.charAt(10) != ' ' || v.charAt(19) != ' ') {
            return INVALID;
        }
        int day = v.charAt(8) == ' ' ? digits(v, 9, 1) : digits(v, 8, 2);
        return epochMillis(digits(v, 20, 4), month(v, 4), day, v, 11);
    }

    /** {@code day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP "GMT"}. */
    private static long rfc850(String v, int comma, long nowMillis) {
        int at = comma + 2;
        if (indexOf(LONG_DAYS, v, 0, comma) < 0 || v.charAt(comma + 1) != ' ' || v.charAt(at + 2) != '-'
                || v.charAt(at + 6) != '-' || v.charAt(at + 9) != ' ' || v.charAt(at + 18) != ' '
                || !v.regionMatches(true, at + 19, "GMT", 0, 3)) {
            return INVALID;
        }
        int twoDigitYear = digits(v, at + 7, 2);
        if (twoDigitYear < 0) {
            return INVALID;
        }
        LocalDateTime now = LocalDateTime.ofEpochSecond(Math.floorDiv(nowMillis, 1000), 0, ZoneOffset.UTC);
        LocalDateTime limit = now.plusYears(50);
        long limitKey = sortKey(limit.getYear(), limit.getMonthValue(), limit.getDayOfMonth(),
                limit.getHour() * 3600 + limit.getMinute() * 60 + limit.getSecond());
        int month = month(v, at + 3);
        int day = digits(v, at, 2);
        int time = digits(v, at + 10, 2) * 3600 + digits(v, at + 13, 2) * 60 + digits(v, at + 16, 2);
        // Start a century ahead and step back until the date is no more than 50 years in the future.
        int year = now.getYear() / 100 * 100 + 100 + twoDigitYear;
        while (sortKey(year, month, day, time) > limitKey) {
            year -= 100;
        }
        return epochMillis(year, month, day, v, at + 10);
    }

    /** Orders dates without requiring them to be valid, so that the century is chosen before the day is checked. */
    private static long sortKey(int year, int month, int day, int secondOfDay) {
        return ((year * 13L + month) * 32 + day) * 86_401 + secondOfDay;
    }

    /** Returns the time of {@code hour ":" minute ":" second} at {@code at} on that date, or {@link #INVALID}. */
    private static long epochMillis(int year, int month, int day, String v, int at) {
        int hour = digits(v, at, 2);
        int minute = digits(v, at + 3, 2);
        int second = digits(v, at + 6, 2);
        if (year < 0 || month < 1 || day < 1 || v.charAt(at + 2) != ':' || v.charAt(at + 5) != ':'
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60
                || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return INVALID;
        }
        // A leap second (60) is counted as the first second of the next minute.
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second;
        return seconds * 1000;
    }

    private static int month(String v, int at) {
        return indexOf(MONTHS, v, at, 3) + 1;
    }

    private static int indexOf(String[] names, String v, int at, int length) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].length() == length && v.regionMatches(true, at, names[i], 0, length)) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the decimal value of exactly {@code count} digits at {@code at}, or -1. */
    private static int digits(String v, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A field value excludes the whitespace around it (RFC 9110 §5.5). */
    private static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
