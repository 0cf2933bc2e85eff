package io.telltale.core.config;

import java.time.Duration;

/**
 * Limits on what clients and origins may send.
 *
 * @param maxRequestLine the longest request line (414 beyond)
 * @param maxHeaderSize the largest request header section (431 beyond)
 * @param maxBodySize the largest request body (413 beyond)
 * @param headerTimeout how long a client may take to send a complete header section (408 beyond)
 * @param keepAliveTimeout how long an idle client connection stays open
 * @param maxResponseHeaderSize the largest origin response header section (OriginHeaderTooBig beyond)
 * @param maxHeaderFields the most header fields a request may carry (431 beyond)
 */
public record LimitsConfig(
        @Default("8KiB") DataSize maxRequestLine,
        @Default("16KiB") DataSize maxHeaderSize,
        @Default("1GiB") DataSize maxBodySize,
        @Default("10s") Duration headerTimeout,
        @Default("60s") Duration keepAliveTimeout,
        @Default("64KiB") DataSize maxResponseHeaderSize,
        @Default("100") int maxHeaderFields) {
}
