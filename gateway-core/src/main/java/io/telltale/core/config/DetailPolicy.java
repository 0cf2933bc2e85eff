package io.telltale.core.config;

/** How much of a failure's evidence an error response shows. */
public enum DetailPolicy {
    /** Code, title, generic advice and request id; never addresses, certificates or server names. */
    PUBLIC,
    /** Full evidence for requests with the site's debug token or from its trusted networks. */
    TRUSTED,
    /** Full evidence for everyone (the lab). */
    FULL
}
