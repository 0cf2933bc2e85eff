package io.telltale.core.failure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Instants worded for people in failure sentences: "1 Dec 2026 at 23:13 UTC" and "1 day ago". */
public final class Moments {
    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("d MMM uuuu 'at' HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Moments() {
    }

    /** Returns the instant as a date and minute in UTC, e.g. {@code 1 Dec 2026 at 23:13 UTC}. */
    public static String at(Instant instant) {
        return AT.format(instant);
    }

    /** Returns how far the instant is from now in its largest whole unit, e.g. {@code 1 day ago} or {@code in 2 hours}. */
    public static String relative(Instant instant, Instant now) {
        Duration d = Duration.between(now, instant);
        boolean past = d.isNegative();
        Duration abs = d.abs();
        String amount;
        if (abs.toDays() > 0) {
            amount = plural(abs.toDays(), "day");
        } else if (abs.toHours() > 0) {
            amount = plural(abs.toHours(), "hour");
        } else if (abs.toMinutes() > 0) {
            amount = plural(abs.toMinutes(), "minute");
        } else {
            return "just now";
        }
        return past ? amount + " ago" : "in " + amount;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
