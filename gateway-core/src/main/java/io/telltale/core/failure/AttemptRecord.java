package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One try at one address of one origin, as the explanation of a request lists it: where it went, what it came
 * to (a catalogue code, an origin status that was failed over, or abandoned because another address answered
 * first) and when.
 *
 * @param origin the origin's {@code host:port}
 * @param address the address tried, or null when the name did not resolve
 * @param code the catalogue code of its failure, or null
 * @param status the origin's status when that status was failed over, else 0
 * @param phase the step it ended in
 * @param atMillis when it began, in milliseconds from the request's arrival
 * @param millis how long it took, or -1 when unknown
 */
public record AttemptRecord(String origin, String address, FailureCode code, int status, Phase phase, long atMillis,
        long millis) {

    /** Returns the records of an attempt's addresses that did not connect, in the order they were tried. */
    public static List<AttemptRecord> unconnected(String origin, RequestTimeline timeline) {
        List<AttemptRecord> records = new ArrayList<>();
        for (AddressOutcome a : timeline.addresses()) {
            if (a.result() == AddressOutcome.Result.FAILED) {
                records.add(new AttemptRecord(origin, a.address(), a.code(), 0, a.code().phase(), a.atMillis(),
                        a.millis()));
            } else if (a.result() == AddressOutcome.Result.ABANDONED) {
                records.add(new AttemptRecord(origin, a.address(), null, 0, Phase.CONNECT, a.atMillis(), a.millis()));
            }
        }
        return records;
    }

    /** Returns what it came to: the code, {@code HTTP 503}, or {@code abandoned}. */
    public String result() {
        if (code != null) {
            return code.code();
        }
        return status != 0 ? "HTTP " + status : "abandoned";
    }

    /** Returns it in one line: {@code www.example.test:8080 127.0.0.2 OriginConnectionRefused (connect) at 3 ms, 1 ms}. */
    public String describe() {
        return origin + " " + (address == null ? "-" : address) + " " + result() + " (" + phase.label() + ") at "
                + atMillis + " ms" + (millis < 0 ? "" : ", " + millis + " ms");
    }

    /** Returns it as ordered facts for JSON bodies and the journal. */
    public Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", origin);
        m.put("address", address);
        m.put("result", result());
        m.put("phase", phase.label());
        m.put("atMillis", atMillis);
        m.put("millis", millis);
        return m;
    }
}
