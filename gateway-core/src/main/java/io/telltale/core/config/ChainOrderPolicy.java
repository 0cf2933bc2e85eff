package io.telltale.core.config;

/** Whether an origin's certificate chain must be sent in order, leaf first. */
public enum ChainOrderPolicy {
    /** An out-of-order chain fails the request, as CloudFront does. */
    STRICT,
    /** An out-of-order chain is accepted when a valid path can be built from it. */
    LENIENT
}
