package io.telltale.core.config;

import java.time.Duration;

/**
 * HTTP/2 toward clients and the limits that protect the gateway from its floods.
 *
 * @param cleartext whether the plain HTTP listener also takes HTTP/2 with prior knowledge (h2c)
 * @param tls whether the HTTPS listener offers {@code h2} by ALPN before {@code http/1.1}
 * @param maxConcurrentStreams the streams a client may have open at once on one connection (more are refused)
 * @param maxHeaderListSize the largest decoded header list of a request (431 beyond, GOAWAY well beyond)
 * @param floodWindow the window the reset and control-frame budgets are counted over
 * @param maxResetsPerWindow the streams a client may reset per window before GOAWAY (rapid reset)
 * @param maxControlFramesPerWindow the SETTINGS and PING frames a client may send per window before GOAWAY
 * @param maxEmptyDataFrames the empty DATA frames in a row a client may send before GOAWAY
 * @param maxSmallContinuationFrames the small CONTINUATION frames in a row a client may send before GOAWAY
 */
public record Http2Config(
        @Default("true") boolean cleartext,
        @Default("true") boolean tls,
        @Default("128") int maxConcurrentStreams,
        @Default("16KiB") DataSize maxHeaderListSize,
        @Default("30s") Duration floodWindow,
        @Default("200") int maxResetsPerWindow,
        @Default("200") int maxControlFramesPerWindow,
        @Default("2") int maxEmptyDataFrames,
        @Default("16") int maxSmallContinuationFrames) {
}
