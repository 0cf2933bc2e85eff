package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.failure.ResponseFraming;
import io.telltale.core.failure.ResponseWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a response head the codec parsed may be taken as an answer at all: its version, its status and
 * its transfer codings must be ones the gateway can pass on truthfully.
 */
final class OriginHeadChecks {
    private OriginHeadChecks() {
    }

    /**
     * Returns why the head must be refused, or null when it may be taken.
     *
     * @param upgradeAsked whether the request asked for an upgrade, so that a 101 may answer it
     */
    static Failure refusal(HttpResponse response, boolean upgradeAsked, OriginHop hop) {
        if (response.protocolVersion().majorVersion() != 1) {
            return ResponseWords.foreignVersion(response.protocolVersion().text(), hop);
        }
        int code = response.status().code();
        if (code < 100 || code > 599) {
            return ResponseFraming.undefinedStatus(code, hop);
        }
        if (code == 101 && !upgradeAsked) {
            return ResponseFraming.unsolicitedSwitch(response.headers(), hop);
        }
        if (!response.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return null;
        }
        List<String> codings = codings(response);
        if (codings.size() > 1 && codings.get(codings.size() - 1).equals(HttpHeaderValues.CHUNKED.toString())
                && codings.subList(0, codings.size() - 1).stream().anyMatch(c -> !c.equals("identity"))) {
            return ResponseWords.undecodedCodings(String.join(", ", codings), hop);
        }
        return null;
    }

    /**
     * Takes control characters out of the head's reason phrase, which may hold only tabs, spaces and visible
     * characters (RFC 9112 section 4): the client gets the rest of the phrase rather than bytes it may not receive.
     */
    static void cleanReason(HttpResponse response) {
        String reason = response.status().reasonPhrase();
        // Scanned first: this runs for every response, and nearly every reason phrase is clean.
        for (int i = 0; i < reason.length(); i++) {
            if (isControl(reason.charAt(i))) {
                StringBuilder clean = new StringBuilder(reason.length());
                reason.chars().filter(c -> !isControl((char) c)).forEach(c -> clean.append((char) c));
                response.setStatus(new HttpResponseStatus(response.status().code(), clean.toString()));
                return;
            }
        }
    }

    /**
     * Returns whether a 204 or 304 head gives a {@code Content-Length} other than 0: when the origin also sent that
     * many bytes (RFC 9110 section 6.4.1 says no such response has a body), they stay on the connection, so it must
     * not carry the next request.
     */
    static boolean framesABodyThatCannotFollow(HttpResponse response) {
        int code = response.status().code();
        return (code == 204 || code == 304)
                && !response.headers().get(HttpHeaderNames.CONTENT_LENGTH, "0").trim().equals("0");
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    private static List<String> codings(HttpResponse response) {
        List<String> codings = new ArrayList<>();
        for (String field : response.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String coding : field.split(",")) {
                if (!coding.isBlank()) {
                    codings.add(coding.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return codings;
    }
}
