package io.telltale.core.failure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Escaping and the few ways the error pages write times, durations and certificate names for people. */
final class Html {
    private static final DateTimeFormatter DAY_AND_TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy 'at' HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** Returns the text with the five HTML-significant characters escaped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r == null) {
                    out.append(c);
                } else {
                    out.append(r);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** Returns an instant as "1 Dec 2026 at 23:13 UTC". */
    static String dayAndTime(Instant at) {
        return DAY_AND_TIME.format(at);
    }

    /** Returns an instant as "1 Dec 2026". */
    static String day(Instant at) {
        return DAY.format(at);
    }

    /** Returns how far an instant is from now, as "1 day ago" or "in 3 hours". */
    static String relative(Instant at, Instant now) {
        Duration d = Duration.between(now, at);
        String amount = amount(d.abs());
        return d.isNegative() ? amount + " ago" : "in " + amount;
    }

    private static String amount(Duration d) {
        if (d.toDays() >= 1) {
            return plural(d.toDays(), "day");
        }
        if (d.toHours() >= 1) {
            return plural(d.toHours(), "hour");
        }
        if (d.toMinutes() >= 1) {
            return plural(d.toMinutes(), "minute");
        }
        return plural(d.toSeconds(), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    /** Returns a duration in microseconds as people read it: "0.35 ms", "42 ms" or "2.1 s". */
    static String micros(long micros) {
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
        }
        if (micros < 1_000_000) {
            return (micros / 1000) + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", micros / 1_000_000.0);
    }

    /** Returns a certificate subject's common name, or the whole name when it has none. */
    static String commonName(String distinguishedName) {
        if (distinguishedName == null) {
            return null;
        }
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return distinguishedName;
        }
        return distinguishedName;
    }

    /** Returns the instant an ISO-8601 evidence value names, or null when it names none. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
