package io.telltale.core.profile;

/**
 * What a CDN answers a visitor for one kind of failure.
 *
 * @param status the HTTP status the visitor gets, or 0 when the vendor documents none (Telltale's status is kept)
 * @param code the vendor's own name for it (a detailed result type, a 1xxx code, a reason, an {@code ERR_*}), or
 *     null when it has none
 * @param source where the answer is documented, with its confidence
 */
public record VendorAnswer(int status, String code, String source) {

    /** Returns whether the vendor's status is known. */
    public boolean statusKnown() {
        return status > 0;
    }
}
