package io.telltale.core.diagnosis;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.List;
import java.util.Objects;

/**
 * One step of a probe: what ran, how it ended, what was seen and how to repeat it by hand.
 *
 * @param name {@code dns}, {@code tcp}, {@code tls} or {@code http}
 * @param status how it ended
 * @param millis how long it took, 0 when skipped
 * @param summary one line saying what happened
 * @param evidence the facts observed (for a failed step, the failure's evidence and more)
 * @param failure the classified failure the gateway would answer with, or null unless the step failed
 * @param commands the shell commands that repeat this check
 */
public record DiagnosisStep(String name, StepStatus status, long millis, String summary, Evidence evidence,
        Failure failure, List<String> commands) {
    /** The step names, in the order a probe runs them. */
    public static final List<String> NAMES = List.of("dns", "tcp", "tls", "http");

    public DiagnosisStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        evidence = evidence == null ? Evidence.empty() : evidence;
        commands = commands == null ? List.of() : List.copyOf(commands);
        if ((status == StepStatus.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("failure: " + failure + " (expected: present exactly when the step failed)");
        }
    }

    /** Returns a step that did not run, saying why. */
    public static DiagnosisStep skipped(String name, String why) {
        return new DiagnosisStep(name, StepStatus.SKIPPED, 0, why, null, null, null);
    }

    /** Returns the catalogue code this step would produce, or null unless it failed. */
    public FailureCode code() {
        return failure == null ? null : failure.code();
    }
}
