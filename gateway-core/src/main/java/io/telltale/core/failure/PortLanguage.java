package io.telltale.core.failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what an origin port answered when it did not answer HTTP/1.x: a TLS record, an HTTP/2 frame, an SSH or
 * mail banner. A failure of such a port is re-worded by the bytes, so that the fix is the protocol or the port,
 * never a crash or a keep-alive setting.
 */
public final class PortLanguage {
    private static final int FRAME_SETTINGS = 4;
    private static final int FRAME_GOAWAY = 7;

    private PortLanguage() {
    }

    /** What the bytes say the port speaks. */
    public enum Spoken {
        /** A TLS record: the port wants https. */
        TLS,
        /** An HTTP/2 frame or preface: the port speaks HTTP/2 only (h2c with prior knowledge). */
        HTTP2,
        /** An SSH banner. */
        SSH,
        /** A mail or file-transfer greeting ({@code 220 ...}, {@code +OK}, {@code * OK}). */
        BANNER
    }

    /** Returns what the first bytes say the port speaks, or null for HTTP/1.x, nothing or anything unrecognised. */
    public static Spoken recognise(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) >= 0x14 && (b[0] & 0xff) <= 0x17 && b[1] == 0x03 && (b[2] & 0xff) <= 0x04) {
            return Spoken.TLS;
        }
        String text = new String(b, StandardCharsets.ISO_8859_1);
        if (text.startsWith("PRI * HTTP/2.0")) {
            return Spoken.HTTP2;
        }
        if (b.length >= 9 && (b[3] == FRAME_SETTINGS || b[3] == FRAME_GOAWAY)
                && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0) {
            return Spoken.HTTP2;
        }
        if (text.startsWith("SSH-")) {
            return Spoken.SSH;
        }
        if (text.startsWith("220 ") || text.startsWith("220-") || text.startsWith("+OK") || text.startsWith("* OK")) {
            return Spoken.BANNER;
        }
        return null;
    }

    /**
     * Returns the failure re-worded by what the port spoke, or unchanged when the bytes are HTTP/1.x, unknown or
     * the failure is not an invalid response or a close before the response.
     *
     * @param failure the failure as classified
     * @param first the first bytes the origin sent on the connection
     * @param tls whether the gateway spoke TLS to the port
     * @param reused whether the connection came from the pool (a keep-alive race is possible only then)
     */
    public static Failure reword(Failure failure, byte[] first, boolean tls, boolean reused) {
        FailureCode code = failure.code();
        if (code != FailureCode.ORIGIN_INVALID_RESPONSE && code != FailureCode.ORIGIN_CONNECTION_CLOSED) {
            return failure;
        }
        if (first.length == 0 && code == FailureCode.ORIGIN_CONNECTION_CLOSED && !reused
                && !Boolean.TRUE.equals(failure.evidence().get("responseStarted"))) {
            return closedWithoutAByte(failure, tls);
        }
        Spoken spoken = recognise(first);
        if (spoken == null || Boolean.TRUE.equals(failure.evidence().get("responseStarted"))) {
            return failure;
        }
        Object port = failure.evidence().get("origin.port");
        String hex = hex(first);
        String sentence;
        List<String> fix = new ArrayList<>();
        switch (spoken) {
            case TLS -> {
                sentence = "Port " + port + " speaks TLS, not plain HTTP: it answered the gateway's HTTP request with a TLS "
                        + (first[0] == 0x15 ? "alert" : "record") + " (" + hex + ").";
                fix.add("This port speaks TLS: set this origin's protocol to https-only with httpsPort: " + port + ".");
                fix.add("Check it: `openssl s_client -connect {origin.address}:" + port + " -servername {origin.host} </dev/null`.");
            }
            case HTTP2 -> {
                sentence = "Port " + port + " speaks HTTP/2 only: it answered the gateway's HTTP/1.1 request with an HTTP/2 "
                        + "frame (" + hex + ").";
                fix.add("This port speaks HTTP/2 only (h2c with prior knowledge), which the gateway does not send to origins: "
                        + "enable HTTP/1.1 on the origin server (e.g. a second listener), or point the origin at a port that "
                        + "speaks HTTP/1.1" + (tls ? "." : ", or serve HTTP/2 over TLS with HTTP/1.1 offered in ALPN."));
                fix.add("Check it: `curl -v --http2-prior-knowledge http://{origin.address}:" + port + "/` succeeds where "
                        + "`curl -v --http1.1 http://{origin.address}:" + port + "/` fails.");
            }
            case SSH -> {
                sentence = "Port " + port + " runs SSH, not HTTP: it greeted the gateway with \"" + line(first) + "\".";
                fix.add("Point this origin at the web server's port: port " + port + " is an SSH server.");
            }
            default -> {
                sentence = "Port " + port + " runs another service, not HTTP: it greeted the gateway with \"" + line(first) + "\".";
                fix.add("Point this origin at the web server's port: port " + port + " runs a mail or file-transfer service.");
            }
        }
        Evidence more = Evidence.builder()
                .put("portSpeaks", spoken.name())
                .put("firstBytesHex", hex)
                .build();
        Evidence evidence = failure.evidence().with(more);
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, "http_protocol_error", failure.proxyStatusParams(), sentence,
                evidence, TemplateFiller.fillAll(fix, evidence));
    }

    private static Failure closedWithoutAByte(Failure failure, boolean tls) {
        Object port = failure.evidence().get("origin.port");
        Evidence evidence = failure.evidence().with(Evidence.builder()
                .put("bytesReceived", 0)
                .put("connection", "new (not from the pool), so no keep-alive timeout is involved")
                .build());
        List<String> fix = new ArrayList<>();
        fix.add("Reproduce directly: `curl -v --resolve {origin.host}:{origin.port}:{origin.address} "
                + (tls ? "https" : "http") + "://{origin.host}:{origin.port}/`.");
        if (!tls) {
            fix.add("A port that speaks TLS often closes a plain-HTTP request without a word: if port " + port
                    + " is a TLS port, set this origin's protocol to https-only with httpsPort: " + port + ".");
        }
        fix.add("Otherwise the origin's server refuses the request before answering: read its error log for this request.");
        String detail = "The origin accepted a new connection on port " + port + " and closed it without sending a single "
                + "byte of response.";
        return new Failure(failure.code(), failure.proxyStatusError(), failure.proxyStatusParams(), detail, evidence,
                TemplateFiller.fillAll(fix, evidence));
    }

    private static String hex(byte[] b) {
        StringBuilder out = new StringBuilder(b.length * 3);
        for (int i = 0; i < Math.min(b.length, 16); i++) {
            out.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xff));
        }
        return out.toString();
    }

    private static String line(byte[] b) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\r') >= 0 ? text.indexOf('\r') : text.indexOf('\n');
        String first = end >= 0 ? text.substring(0, end) : text;
        StringBuilder out = new StringBuilder(first.length());
        for (char c : first.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return out.toString();
    }
}
