package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps from the gateway to the origin (DNS, TCP, TLS, HTTP) and how far a failed request got,
 * derived from its timeline and the failure's phase without probing again.
 */
public final class HopStrip {
    /** One step's outcome. */
    public enum State {
        /** The step finished. */
        OK("ok"),
        /** The request failed at this step. */
        FAILED("failed"),
        /** A later step was reached without this one: an IP literal, a reused connection or plain HTTP. */
        SKIPPED("skipped"),
        /** The request never got here. */
        NOT_REACHED("not reached");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** Returns the word shown in pages. */
        public String label() {
            return label;
        }
    }

    /**
     * One step and its outcome.
     *
     * @param name DNS, TCP, TLS or HTTP
     * @param state how it went
     * @param millis how long it took, or -1 when unknown
     */
    public record Step(String name, State state, long millis) {
    }

    private HopStrip() {
    }

    /** Returns the four steps for a failure; the gateway itself failed when none is marked failed. */
    public static List<Step> steps(FailureCode code, RequestTimeline timeline) {
        int failed = failedStep(code);
        boolean[] ok = timeline == null ? new boolean[4] : new boolean[] {
                timeline.dnsOk(), timeline.connectOk(), timeline.tlsOk(), timeline.firstByteReceived()};
        long[] millis = timeline == null ? new long[] {-1, -1, -1, -1} : new long[] {
                timeline.dnsMillis(), timeline.connectMillis(), timeline.tlsMillis(), timeline.firstByteMillis()};
        String[] names = {"DNS", "TCP", "TLS", "HTTP"};
        int furthest = failed;
        for (int i = 0; i < 4; i++) {
            if (ok[i]) {
                furthest = Math.max(furthest, i);
            }
        }
        List<Step> steps = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            State state;
            if (i == failed) {
                state = State.FAILED;
            } else if (ok[i]) {
                state = State.OK;
            } else if (i < furthest) {
                state = State.SKIPPED;
            } else {
                state = State.NOT_REACHED;
            }
            steps.add(new Step(names[i], state, state == State.OK || state == State.FAILED ? millis[i] : -1));
        }
        return List.copyOf(steps);
    }

    /** Returns the index of the step a code fails at, or -1 when the gateway failed before any. */
    private static int failedStep(FailureCode code) {
        if (code == FailureCode.ORIGIN_IP_PROHIBITED) {
            // The name resolved; it is the connection to the answer that is refused.
            return 1;
        }
        return switch (code.phase()) {
            case DNS -> 0;
            case CONNECT -> 1;
            case TLS -> 2;
            case RESPONSE -> 3;
            default -> -1;
        };
    }
}
