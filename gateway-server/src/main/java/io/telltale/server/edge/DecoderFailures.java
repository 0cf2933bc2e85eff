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

    /** Returns the failure for why the request decoder refused a request's head. */
    static Failure of(Throwable cause) {
        if (cause instanceof MalformedInput marked) {
            return of(marked.kind());
        }
        if (cause instanceof TooLongHttpLineException) {
            return Failure.of(FailureCode.REQUEST_URI_TOO_LONG, "The request line is longer than this gateway accepts.",
                    Evidence.empty());
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Failure.of(FailureCode.REQUEST_HEADER_TOO_LARGE,
                    "The request's header section is larger than this gateway accepts.", Evidence.empty());
        }
        if (cause instanceof ContentLengthNotAllowedException || cause instanceof TransferEncodingNotAllowedException) {
            return framing("The request's length is framed ambiguously (Content-Length with Transfer-Encoding).",
                    "content-length-with-transfer-encoding");
        }
        // Netty raises a plain IllegalArgumentException for several Content-Length values; its text is the only mark.
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Content-Length")) {
            return framing("The request carries several Content-Length values.", "multiple-content-length");
        }
        if (cause instanceof NumberFormatException || message.contains("chunk")) {
            return framing("The request's chunked body is malformed.", "bad-chunk");
        }
        if (cause instanceof TooLongFrameException) {
            return Failure.of(FailureCode.MALFORMED_REQUEST, "A part of the request is too long.", Evidence.empty());
        }
        return Failure.of(FailureCode.MALFORMED_REQUEST, "The request is not valid HTTP/1.1.",
                Evidence.builder().put("reason", cause.getClass().getSimpleName()).build());
    }

    /** Returns the failure for why the request decoder refused a piece of a request's body. */
    static Failure ofBody(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            // Of a body, only a chunk line can be too long: its extensions, as the size itself is bounded.
            return framing("A chunk line of the request body is longer than this gateway accepts.",
                    "chunk-line-too-long");
        }
        return of(cause);
    }

    private static Failure of(MalformedInput.Kind kind) {
        return switch (kind) {
            case OBS_FOLD -> framing("A header field was continued with obsolete line folding, which this gateway refuses.",
                    "obs-fold");
            case CONTROL_IN_TARGET -> malformed("The request target holds a control character.",
                    "control-character-in-target");
            case REQUEST_LINE -> malformed("The request line is not exactly method, target and HTTP version separated "
                    + "by single spaces.", "request-line");
            case UNSUPPORTED_VERSION -> Failure.of(FailureCode.HTTP_VERSION_NOT_SUPPORTED,
                    "The request line names an HTTP version other than HTTP/1.x on an HTTP/1.1 connection.",
                    Evidence.builder().put("reason", "unsupported-version").build());
            case CONTENT_LENGTH -> framing("The request's Content-Length is not exactly one decimal number.",
                    "invalid-content-length");
            case TRANSFER_CODING -> framing("The request's Transfer-Encoding is not chunked alone; this gateway forwards no "
                    + "other transfer coding.", "unsupported-transfer-coding");
            case TOO_MANY_FIELDS -> Failure.of(FailureCode.REQUEST_HEADER_TOO_LARGE,
                    "The request carries more header fields than this gateway accepts.",
                    Evidence.builder().put("reason", "too-many-header-fields").build());
            case CHUNK_EXTENSION -> framing("A chunk extension of the request body is not valid (RFC 9112 section 7.1.1).",
                    "bad-chunk-extension");
        };
    }

    private static Failure framing(String detail, String reason) {
        return Failure.of(FailureCode.AMBIGUOUS_REQUEST_FRAMING, detail, Evidence.builder().put("reason", reason).build());
    }

    private static Failure malformed(String detail, String reason) {
        return Failure.of(FailureCode.MALFORMED_REQUEST, detail, Evidence.builder().put("reason", reason).build());
    }
}
