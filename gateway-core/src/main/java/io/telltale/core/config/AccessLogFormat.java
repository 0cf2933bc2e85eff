package io.telltale.core.config;

/** How the access log writes a request's line. */
public enum AccessLogFormat {
    /** One line of space-separated {@code key=value} fields. */
    TEXT,
    /** One JSON object per line, with the same fields under the same names. */
    JSON
}
