package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 codec of an origin connection: Netty's request encoder, which notes each request's method, and
 * the {@link StrictResponseDecoder}, which reads a HEAD's response without a body and refuses what Netty lets by.
 *
 * <p>It takes the place of Netty's {@code HttpClientCodec}, whose decoder cannot be extended; the gateway never
 * sends CONNECT or pipelines to an origin, so the method is all the decoder needs from the request side.
 */
final class OriginHttpCodec
        extends CombinedChannelDuplexHandler<StrictResponseDecoder, OriginHttpCodec.MethodNotingEncoder> {

    /** Creates the codec of one connection. */
    OriginHttpCodec(HttpDecoderConfig config) {
        ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);
        init(new StrictResponseDecoder(config, methods), new MethodNotingEncoder(methods));
    }

    /**
     * Returns whether the channel's codec holds bytes no request asked for, so the connection must not be reused;
     * false for a channel without this codec (HTTP/2, or a tunnel).
     */
    static boolean spoiled(Channel channel) {
        OriginHttpCodec codec = channel.pipeline().get(OriginHttpCodec.class);
        return codec != null && codec.inboundHandler().spoiled();
    }

    /** Netty's request encoder, noting the method of each request it writes for the decoder. */
    static final class MethodNotingEncoder extends HttpRequestEncoder {
        private final ArrayDeque<HttpMethod> methods;

        MethodNotingEncoder(ArrayDeque<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpRequest request) {
                methods.add(request.method());
            }
            super.write(ctx, msg, promise);
        }
    }
}
