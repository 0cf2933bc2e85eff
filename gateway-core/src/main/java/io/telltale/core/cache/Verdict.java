package io.telltale.core.cache;

/** Whether an origin response may be stored, and if not, why and whether its key becomes hit-for-pass. */
enum Verdict {
    STORE(null, false),
    NO_STORE("no-store", true),
    PRIVATE("private", true),
    AUTHORIZATION("authorization", true),
    SET_COOKIE("set-cookie", true),
    VARY_STAR("vary-star", true),
    UNCACHEABLE_STATUS("status", true),
    TOO_LARGE("too-large", true),
    ZERO_TTL("zero-ttl", true),
    PARTIAL("partial", false),
    ERROR_NOT_CACHED("error", false),
    DISABLED("disabled", false);

    private final String detail;
    private final boolean hitForPass;

    Verdict(String detail, boolean hitForPass) {
        this.detail = detail;
        this.hitForPass = hitForPass;
    }

    /** Returns the token for Cache-Status {@code detail}, or null when stored. */
    String detail() {
        return detail;
    }

    /** Returns whether later requests for the key should go straight to the origin for a while. */
    boolean hitForPass() {
        return hitForPass;
    }
}
