package io.telltale.server.edge;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;

/** Names what was wrong with a request the edge codec could not decode: too long, ambiguous or malformed. */
final class DecoderFailures {
    private DecoderFailures() {
    }

    /** Returns the failure for why the request decoder refused what the client sent. */
    static Failure of(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Failure.of(FailureCode.REQUEST_URI_TOO_LONG, "The request line is longer than this gateway accepts.",
                    Evidence.empty());
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Failure.of(FailureCode.REQUEST_HEADER_TOO_LARGE,
                    "The request's header section is larger than this gateway accepts.", Evidence.empty());
        }
        if (cause instanceof StrictRequestDecoder.ControlCharacterInTargetException) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "The request target holds a control character.",
                    Evidence.builder().put("reason", "control-character-in-target").build());
        }
        if (cause instanceof StrictRequestDecoder.ObsoleteLineFoldingException) {
            return Failure.of(FailureCode.AMBIGUOUS_REQUEST_FRAMING,
                    "A header field was continued with obsolete line folding, which this gateway refuses.",
                    Evidence.builder().put("reason", "obs-fold").build());
        }
        if (cause instanceof io.netty.handler.codec.http.ContentLengthNotAllowedException
                || cause instanceof io.netty.handler.codec.http.TransferEncodingNotAllowedException) {
            return Failure.of(FailureCode.AMBIGUOUS_REQUEST_FRAMING,
                    "The request's length is framed ambiguously (Content-Length with Transfer-Encoding).",
                    Evidence.builder().put("reason", "content-length-with-transfer-encoding").build());
        }
        // Netty raises a plain IllegalArgumentException for several Content-Length values; its text is the only mark.
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Content-Length")) {
            return Failure.of(FailureCode.AMBIGUOUS_REQUEST_FRAMING,
                    "The request carries several Content-Length values.",
                    Evidence.builder().put("reason", "multiple-content-length").build());
        }
        if (cause instanceof NumberFormatException || message.contains("chunk")) {
            return Failure.of(FailureCode.AMBIGUOUS_REQUEST_FRAMING,
                    "The request's chunked body is malformed.",
                    Evidence.builder().put("reason", "bad-chunk").build());
        }
        if (cause instanceof TooLongFrameException) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "A part of the request is too long.", Evidence.empty());
        }
        return Failure.of(FailureCode.MALFORMED_REQUEST, "The request is not valid HTTP/1.1.",
                Evidence.builder().put("reason", cause.getClass().getSimpleName()).build());
    }
}
