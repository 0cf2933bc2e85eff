package io.telltale.server.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.telltale.core.config.LimitsConfig;
import io.telltale.server.proxy.EncodedResponse;
import java.util.ArrayDeque;

/**
 * The edge's HTTP/1.1 server codec: strict request decoding within the configured limits, and a response
 * encoder that knows which responses answer HEAD so that their framing headers announce no body.
 */
public final class EdgeHttpCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, HttpResponseEncoder> {

    EdgeHttpCodec(LimitsConfig limits) {
        ArrayDeque<Boolean> headRequests = new ArrayDeque<>(2);
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine().toIntBytes())
                .setMaxHeaderSize(limits.maxHeaderSize().toIntBytes())
                .setMaxChunkSize(16384)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
        init(new StrictRequestDecoder(config, limits.maxHeaderFields(), headRequests), new HeadAwareEncoder(headRequests));
    }

    /** Returns whether bytes of a next request already came, though not yet its whole header section. */
    boolean holdsPartialRequest() {
        return inboundHandler().holdsPartialRequest();
    }

    private static final class HeadAwareEncoder extends HttpResponseEncoder {
        private final ArrayDeque<Boolean> headRequests;

        HeadAwareEncoder(ArrayDeque<Boolean> headRequests) {
            this.headRequests = headRequests;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof EncodedResponse encoded) {
                // A stored response written as it was encoded once: it answers its request all the same.
                headRequests.poll();
                Object fileBody = encoded.takeFileBody();
                if (fileBody == null) {
                    ctx.write(encoded.content(), promise);
                } else {
                    if (fileBody instanceof ChunkedInput<?>
                            && ctx.pipeline().get(EdgeChannelInitializer.CHUNKED) == null) {
                        // A body read back from disk reaches the TLS engine in chunks (a file region cannot be
                        // encrypted); the chunked writer joins only a connection that needs it, off every other path.
                        // The SNI handler has replaced itself with an SslHandler under another name by now.
                        ctx.pipeline().addAfter(ctx.pipeline().context(SslHandler.class).name(),
                                EdgeChannelInitializer.CHUNKED, new ChunkedWriteHandler());
                    }
                    ctx.write(encoded.content());
                    ctx.write(fileBody, promise);
                }
                return;
            }
            super.write(ctx, msg, promise);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            int code = msg.status().code();
            if (code >= 100 && code < 200) {
                return code != 101 || super.isContentAlwaysEmpty(msg);
            }
            Boolean head = headRequests.poll();
            return Boolean.TRUE.equals(head) || super.isContentAlwaysEmpty(msg);
        }
    }
}
