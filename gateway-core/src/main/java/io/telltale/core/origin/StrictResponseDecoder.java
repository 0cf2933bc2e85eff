package io.telltale.core.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.telltale.core.failure.MalformedHeaderLine;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Netty's response decoder, made as strict as RFC 9112 asks where Netty is lenient: a header line without a colon
 * (§5), which Netty would pass on as an empty field, fails the response head with a {@link MalformedHeaderLine};
 * and bytes that arrive when no response is awaited (after a response ended, or on an idle connection) mark the
 * connection spoiled, since they would be read as the start of the next request's response.
 *
 * <p>Netty consumes a header section over several calls, one whole line at a time, so the bytes each call consumed
 * are followed here, byte by byte without copying; only a refused line is copied, for the evidence.
 */
final class StrictResponseDecoder extends HttpResponseDecoder {
    private final ArrayDeque<HttpMethod> methods;
    private boolean inFinalResponse;
    private boolean spoiled;
    private int lines;
    private int lineStart;
    private boolean atLineStart = true;
    private boolean lineHasContent;
    private boolean lineHasColon;
    private boolean folded;
    private boolean headerSectionDone;
    private MalformedHeaderLine malformed;

    /** Creates the decoder; {@code methods} holds the methods of the requests written and not yet answered. */
    StrictResponseDecoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> methods) {
        super(config);
        this.methods = methods;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        noteStrayBytes(in);
        int start = in.readerIndex();
        int produced = out.size();
        super.decode(ctx, in, out);
        if (!headerSectionDone) {
            scan(in, start, in.readerIndex());
        }
        for (int i = produced; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof HttpResponse response) {
                if (malformed != null && !(response.decoderResult().cause() instanceof TooLongFrameException)) {
                    // Netty may have refused the line too, in its own words: the line itself says more.
                    response.setDecoderResult(DecoderResult.failure(malformed));
                }
                inFinalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
            }
            if (message instanceof LastHttpContent) {
                inFinalResponse = false;
                resetScan();
            }
        }
        // Set before the messages go on, so the exchange that ends now already sees it when it releases the connection.
        noteStrayBytes(in);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return super.isContentAlwaysEmpty(msg);
        }
        HttpMethod method = methods.poll();
        return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    /** Returns whether bytes no request asked for came, or are still held: the connection must not be reused. */
    boolean spoiled() {
        return spoiled || (!awaitingResponse() && internalBuffer().isReadable());
    }

    private void noteStrayBytes(ByteBuf in) {
        if (in.isReadable() && !awaitingResponse()) {
            spoiled = true;
        }
    }

    private boolean awaitingResponse() {
        return inFinalResponse || !methods.isEmpty();
    }

    private void scan(ByteBuf in, int from, int to) {
        if (!atLineStart) {
            lineStart = from;
        }
        for (int i = from; i < to && !headerSectionDone; i++) {
            byte b = in.getByte(i);
            if (atLineStart) {
                atLineStart = false;
                lineStart = i;
                folded = b == ' ' || b == '\t';
            }
            if (b == '\n') {
                endLine(in, i);
            } else if (b != '\r') {
                lineHasContent = true;
                if (b == ':') {
                    lineHasColon = true;
                }
            }
        }
    }

    private void endLine(ByteBuf in, int newline) {
        if (lineHasContent) {
            // The status line needs no colon, and a fold continues the field before it.
            if (lines > 0 && !lineHasColon && !folded && malformed == null) {
                int end = newline > lineStart && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
                byte[] line = new byte[end - lineStart];
                in.getBytes(lineStart, line);
                malformed = new MalformedHeaderLine(MalformedHeaderLine.printable(line, line.length));
            }
            lines++;
        } else if (lines > 0) {
            headerSectionDone = true;
        }
        atLineStart = true;
        lineHasContent = false;
        lineHasColon = false;
    }

    private void resetScan() {
        lines = 0;
        atLineStart = true;
        lineHasContent = false;
        lineHasColon = false;
        folded = false;
        headerSectionDone = false;
        malformed = null;
    }
}
