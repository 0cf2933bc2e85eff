package io.telltale.core.config;

/** Whether the gateway verifies an origin's certificate. */
public enum CertificateCheck {
    /** Chain, dates, name and policy are verified; a failure answers with its certificate code. */
    VERIFY,
    /** Any certificate is accepted and only recorded, as Cloudflare's Full mode does. */
    NONE
}
