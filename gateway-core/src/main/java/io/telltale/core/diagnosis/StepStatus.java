package io.telltale.core.diagnosis;

/** How one step of a probe ended. */
public enum StepStatus {
    /** The step worked. */
    OK("ok"),
    /** The step failed; the failure says what the gateway would answer. */
    FAILED("FAILED"),
    /** The step did not run: not needed (plain HTTP has no TLS, an IP literal needs no DNS) or an earlier step failed. */
    SKIPPED("skipped");

    private final String label;

    StepStatus(String label) {
        this.label = label;
    }

    /** Returns the marker shown in reports: {@code ok}, {@code FAILED} or {@code skipped}. */
    public String label() {
        return label;
    }
}
