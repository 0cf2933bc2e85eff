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
 * @param responseBuffer how much of a response the gateway holds for a client slower than its origin, so that the
 *     origin connection is free again once the rest of the response fits (0 turns it off: the origin waits for the
 *     client)
 * @param responseBufferTotal the most bytes held for all slow clients together; a slow client beyond it makes the
 *     origin wait, holding its connection
 * @param maxHeaderFields the most header fields a request may carry (431 beyond)
 * @param bodyTimeout how long a client may keep the gateway waiting for the next piece of a request body (408 beyond)
 * @param minBodyRate the slowest a request body may arrive, in bytes per second: each byte received earns the client
 *     this fraction of a second more of waiting, so a body that trickles in slower runs out of {@code bodyTimeout}
 */
public record LimitsConfig(
        @Default("8KiB") DataSize maxRequestLine,
        @Default("16KiB") DataSize maxHeaderSize,
        @Default("1GiB") DataSize maxBodySize,
        @Default("10s") Duration headerTimeout,
        @Default("60s") Duration keepAliveTimeout,
        @Default("64KiB") DataSize maxResponseHeaderSize,
        @Default("256KiB") DataSize responseBuffer,
        @Default("64MiB") DataSize responseBufferTotal,
        @Default("100") int maxHeaderFields,
        @Default("60s") Duration bodyTimeout,
        @Default("512") DataSize minBodyRate) {
}
