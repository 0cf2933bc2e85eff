package io.telltale.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Netty's request decoder, made to refuse obsolete line folding (RFC 9112 §5.2) instead of joining the
 * folded lines, and to remember which decoded requests were HEAD for the response encoder.
 *
 * <p>Netty consumes a header section line by line, possibly over several calls, and never reports a fold; so
 * the bytes each call consumed are scanned up to the end of the header section.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    /** Raised as the decoder result of a request whose header section used obsolete line folding. */
    static final ObsoleteLineFoldingException OBS_FOLD = new ObsoleteLineFoldingException();
    /** Raised as the decoder result of a request whose target holds a control character. */
    static final ControlCharacterInTargetException CONTROL_IN_TARGET = new ControlCharacterInTargetException();

    private final ArrayDeque<Boolean> headRequests;
    private int lines;
    private boolean atLineStart = true;
    private boolean lineHasContent;
    private boolean headerSectionDone;
    private boolean folded;

    StrictRequestDecoder(HttpDecoderConfig config, ArrayDeque<Boolean> headRequests) {
        super(config);
        this.headRequests = headRequests;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        int start = in.readerIndex();
        int produced = out.size();
        super.decode(ctx, in, out);
        if (!headerSectionDone) {
            scan(in, start, in.readerIndex());
        }
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request) {
                headRequests.add(HttpMethod.HEAD.equals(request.method()));
                if (request.decoderResult().isSuccess()) {
                    if (folded) {
                        request.setDecoderResult(DecoderResult.failure(OBS_FOLD));
                    } else if (hasControlCharacter(request.uri())) {
                        request.setDecoderResult(DecoderResult.failure(CONTROL_IN_TARGET));
                    }
                }
            }
            if (message instanceof LastHttpContent) {
                resetScan();
            }
        }
    }

    private void scan(ByteBuf in, int from, int to) {
        for (int i = from; i < to && !headerSectionDone; i++) {
            byte b = in.getByte(i);
            if (atLineStart) {
                atLineStart = false;
                if ((b == ' ' || b == '\t') && lines > 0) {
                    folded = true;
                }
            }
            if (b == '\n') {
                if (lineHasContent) {
                    lines++;
                } else if (lines > 0) {
                    headerSectionDone = true;
                }
                atLineStart = true;
                lineHasContent = false;
            } else if (b != '\r') {
                lineHasContent = true;
            }
        }
    }

    /** Returns whether bytes of a request that is not complete were received: scanned lines, or still buffered. */
    boolean holdsPartialRequest() {
        return lines > 0 || lineHasContent || internalBuffer().isReadable();
    }

    private static boolean hasControlCharacter(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private void resetScan() {
        lines = 0;
        atLineStart = true;
        lineHasContent = false;
        headerSectionDone = false;
        folded = false;
    }

    /** The stackless marker of a control character in a request target (RFC 3986 allows none). */
    static final class ControlCharacterInTargetException extends IllegalArgumentException {
        private ControlCharacterInTargetException() {
            super("control character in the request target", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** The stackless marker of an obs-fold in a request header section. */
    static final class ObsoleteLineFoldingException extends IllegalArgumentException {
        private ObsoleteLineFoldingException() {
            super("obsolete line folding in a header field", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
