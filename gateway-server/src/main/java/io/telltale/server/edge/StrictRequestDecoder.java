package io.telltale.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Netty's request decoder, made as strict as RFC 9112 asks where Netty is lenient: it refuses obsolete line
 * folding (§5.2), a request line that is not exactly method SP target SP version (§3), a Content-Length that
 * is not one decimal number (§6.3), a transfer coding other than chunked (§6.1), more header fields than the
 * limit, and chunk extensions outside their grammar (§7.1.1); and it remembers which decoded requests were HEAD for the response encoder.
 *
 * <p>Netty consumes the input over several calls and reports none of these, so the bytes each call consumed
 * are followed here: the header section line by line, then a chunked body chunk line by chunk line. A refused
 * request is marked through its decoder result; once a body is refused, the rest of the input is dropped, as
 * the connection closes after the answer.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private final ArrayDeque<Boolean> headRequests;
    private final int maxHeaderFields;
    private final RequestLineCheck requestLine = new RequestLineCheck();
    private final ChunkedBodyCheck chunkedBody = new ChunkedBodyCheck();
    private boolean chunked;
    private boolean refusing;
    private int lines;
    private boolean atLineStart = true;
    private boolean lineHasContent;
    private boolean headerSectionDone;
    private boolean folded;

    StrictRequestDecoder(HttpDecoderConfig config, int maxHeaderFields, ArrayDeque<Boolean> headRequests) {
        super(config);
        this.maxHeaderFields = maxHeaderFields;
        this.headRequests = headRequests;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refusing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int produced = out.size();
        super.decode(ctx, in, out);
        if (!headerSectionDone) {
            scan(in, start, in.readerIndex());
        } else if (chunked && !chunkedBody.follow(in, start, in.readerIndex())) {
            refuseBody(in, out, produced);
            return;
        }
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpRequest request) {
                headRequests.add(HttpMethod.HEAD.equals(request.method()));
                if (request.decoderResult().isSuccess()) {
                    check(request);
                }
                if (request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request)) {
                    chunked = true;
                }
            }
            if (message instanceof LastHttpContent) {
                resetScan();
            }
        }
    }

    private void check(HttpRequest request) {
        MalformedInput.Kind refused = null;
        if (folded) {
            refused = MalformedInput.Kind.OBS_FOLD;
        } else if (!requestLine.wellFormed()) {
            refused = MalformedInput.Kind.REQUEST_LINE;
        } else if (requestLine.unsupportedVersion()) {
            refused = MalformedInput.Kind.UNSUPPORTED_VERSION;
        } else if (hasControlCharacter(request.uri())) {
            refused = MalformedInput.Kind.CONTROL_IN_TARGET;
        } else if (lines - 1 > maxHeaderFields) {
            refused = MalformedInput.Kind.TOO_MANY_FIELDS;
        } else if (!validContentLength(request.headers().getAll(HttpHeaderNames.CONTENT_LENGTH))) {
            refused = MalformedInput.Kind.CONTENT_LENGTH;
        } else if (!onlyChunked(request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING))) {
            refused = MalformedInput.Kind.TRANSFER_CODING;
        }
        if (refused != null) {
            request.setDecoderResult(DecoderResult.failure(MalformedInput.of(refused)));
        }
    }

    /** Replaces what this call decoded of the body with one refused last piece, and drops all that follows. */
    private void refuseBody(ByteBuf in, List<Object> out, int produced) {
        while (out.size() > produced) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
        HttpContent refused = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        refused.setDecoderResult(DecoderResult.failure(MalformedInput.of(MalformedInput.Kind.CHUNK_EXTENSION)));
        out.add(refused);
        in.skipBytes(in.readableBytes());
        refusing = true;
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
                if (lines == 0) {
                    requestLine.accept(b);
                }
            }
        }
    }

    /** Returns whether bytes of a request that is not complete were received: scanned lines, or still buffered. */
    boolean holdsPartialRequest() {
        return lines > 0 || lineHasContent || internalBuffer().isReadable();
    }

    /** Returns whether the Content-Length fields, if any, are exactly one decimal number that a long holds. */
    private static boolean validContentLength(List<String> values) {
        if (values.isEmpty()) {
            return true;
        }
        String value = values.get(0);
        if (values.size() > 1 || value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether the Transfer-Encoding, if any, is {@code chunked} alone: the body is forwarded re-chunked, so
     * any other coding (gzip, ...) would reach the origin undeclared (RFC 9112 §6.1 lets a server refuse it).
     */
    private static boolean onlyChunked(List<String> values) {
        return values.isEmpty()
                || (values.size() == 1 && HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(values.get(0).trim()));
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
        requestLine.reset();
        chunkedBody.reset();
        chunked = false;
    }
}
