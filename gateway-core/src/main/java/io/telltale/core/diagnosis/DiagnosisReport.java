package io.telltale.core.diagnosis;

import io.telltale.core.failure.Failure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of probing one origin: the steps in order and the verdict, what the gateway would answer.
 *
 * @param target the URL probed
 * @param sni the name sent as SNI and Host and verified in the certificate
 * @param resolvers the resolvers asked
 * @param startedAt when the probe started
 * @param millis how long the whole probe took
 * @param steps {@code dns}, {@code tcp}, {@code tls} and {@code http}, in that order
 * @param complete false when the probe's time limit ran out before every step had run
 */
public record DiagnosisReport(ProbeTarget target, String sni, List<String> resolvers, Instant startedAt, long millis,
        List<DiagnosisStep> steps, boolean complete) {

    public DiagnosisReport {
        resolvers = List.copyOf(resolvers);
        steps = List.copyOf(steps);
    }

    /** Returns the failure of the first failed step: what the gateway would answer with; empty when healthy. */
    public Optional<Failure> verdict() {
        return steps.stream().filter(s -> s.failure() != null).map(DiagnosisStep::failure).findFirst();
    }

    /** Returns whether every step ran and none failed. */
    public boolean healthy() {
        return complete && verdict().isEmpty();
    }

    /** Returns the step with this name. */
    public DiagnosisStep step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("step: " + name + " (expected: one of " + DiagnosisStep.NAMES + ")"));
    }

    /**
     * Returns the verdict in one line: {@code healthy}, the code, status and title the gateway would answer with,
     * or {@code inconclusive} when the time limit stopped the probe first.
     */
    public String verdictLine() {
        return verdict().map(f -> f.code().code() + ": the gateway would answer " + f.code().status()
                        + (f.code().edgeNumber() == null ? "" : " (edge error " + f.code().edgeNumber() + ")")
                        + ", " + f.code().title())
                .orElse(complete ? "healthy" : "inconclusive: the probe's time limit ran out before every step had run");
    }
}
