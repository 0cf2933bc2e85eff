package io.telltale.core.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Finds a gateway's pseudonym in the Via (RFC 9110 §7.6.3) and CDN-Loop (RFC 8586) fields of a request. */
public final class LoopMarks {
    private LoopMarks() {
    }

    /** Returns whether a comma-separated Via or CDN-Loop field lists this pseudonym, ignoring case. */
    public static boolean lists(HttpHeaders headers, CharSequence field, String pseudonym) {
        return count(headers, field, pseudonym) > 0;
    }

    /** Returns how many times a comma-separated Via or CDN-Loop field lists this pseudonym, ignoring case. */
    public static int count(HttpHeaders headers, CharSequence field, String pseudonym) {
        int count = 0;
        List<String> values = headers.getAll(field);
        for (int v = 0; v < values.size(); v++) {
            String value = values.get(v);
            int start = 0;
            while (start < value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                if (matches(value, start, end, pseudonym)) {
                    count++;
                }
                start = end + 1;
            }
        }
        return count;
    }

    private static boolean matches(String value, int start, int end, String pseudonym) {
        while (start < end && value.charAt(start) == ' ') {
            start++;
        }
        // A Via entry is "1.1 name (comment)": compare the pseudonym after the protocol.
        int space = value.indexOf(' ', start);
        if (space >= 0 && space < end) {
            start = space + 1;
        }
        int stop = start;
        while (stop < end && value.charAt(stop) != ' ' && value.charAt(stop) != ';') {
            stop++;
        }
        return stop - start == pseudonym.length() && value.regionMatches(true, start, pseudonym, 0, pseudonym.length());
    }
}
