package io.telltale.server.lab.dns;

import java.util.Locale;

/**
 * A scripted fault for a name and every name below it.
 *
 * @param kind what the server does instead of answering normally
 * @param infoCode the RFC 8914 extended error code sent with SERVFAIL, or -1 for none
 * @param text the extended error's text, empty for none
 */
public record LabDnsFault(Kind kind, int infoCode, String text) {

    /** What a faulty name does. */
    public enum Kind {
        /** Answers SERVFAIL, with the extended error when one is given. */
        SERVFAIL,
        /** Answers REFUSED, as a resolver whose access list leaves the client out. */
        REFUSED,
        /** Never answers, so the client times out. */
        DROP,
        /** Never answers A queries, as a broken middlebox that drops one type does; other types are answered. */
        DROP_A,
        /** Never answers AAAA queries, as a broken middlebox that drops one type does; other types are answered. */
        DROP_AAAA,
        /** Answers normally but without the AA flag, as a lame server does. */
        LAME,
        /** Answers SERVFAIL with EDE 6 (DNSSEC Bogus) unless checking is disabled (CD=1), as a validating resolver does. */
        BOGUS,
        /** Answers over UDP with TC=1 and no records, so the client must retry over TCP. */
        TRUNCATE,
        /** Answers AAAA queries SERVFAIL (with the extended error when one is given) and other types normally. */
        SERVFAIL_AAAA
    }

    public LabDnsFault {
        text = text == null ? "" : text;
    }

    /** Returns a fault with no extended error. */
    public static LabDnsFault of(Kind kind) {
        return new LabDnsFault(kind, -1, "");
    }

    /** Parses {@code KIND [INFO-CODE [TEXT...]]}, e.g. {@code SERVFAIL 22 no reachable authority}. */
    public static LabDnsFault parse(String spec) {
        String[] parts = spec.trim().split("\\s+", 3);
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault: " + parts[0] + " (expected: one of SERVFAIL, REFUSED, DROP, DROP_A, DROP_AAAA, LAME, BOGUS, TRUNCATE, SERVFAIL_AAAA)", e);
        }
        int code = -1;
        if (parts.length > 1) {
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fault info-code: " + parts[1] + " (expected: an RFC 8914 code, 0-65535)", e);
            }
        }
        return new LabDnsFault(kind, code, parts.length > 2 ? unquote(parts[2]) : "");
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
