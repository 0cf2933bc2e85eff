package io.telltale.server.edge;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.telltale.core.failure.FailureCode;

/**
 * Names the catalogue entry of each way Netty's HTTP/2 codec refuses a client: a stream over the concurrency
 * limit, a header list too large, a CONTINUATION or empty-frame flood, too many resets, any other violation.
 */
final class Http2Refusals {
    private Http2Refusals() {
    }

    /** Returns the entry a client-caused HTTP/2 error is counted under. */
    static FailureCode classify(Http2Exception error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (error instanceof Http2Exception.HeaderListSizeException || message.startsWith("Header size exceeded")) {
            return FailureCode.HTTP2_HEADER_LIST_TOO_LARGE;
        }
        if (message.startsWith("Maximum active streams")) {
            return FailureCode.HTTP2_STREAM_LIMIT;
        }
        if (message.contains("RST frames")) {
            return FailureCode.HTTP2_RAPID_RESET;
        }
        if (message.contains("continuations frames")) {
            return FailureCode.HTTP2_CONTINUATION_FLOOD;
        }
        if (error.error() == Http2Error.ENHANCE_YOUR_CALM) {
            // Netty's other budgets: empty DATA frames in a row, control frames queued for a client that does not read.
            return FailureCode.HTTP2_FRAME_FLOOD;
        }
        return FailureCode.HTTP2_PROTOCOL_ERROR;
    }
}
