package io.telltale.server.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flow.FlowControlHandler;
import java.util.function.Supplier;

/**
 * Builds the pipeline of one HTTP/2 stream's channel: Netty's conversion between the stream's frames and
 * HTTP messages, flow control that passes on one message per read, then the stream's proxy handler, which
 * serves its one exchange with the gateway current when the stream opened.
 */
final class Http2StreamInitializer extends ChannelInitializer<Channel> {
    private final Supplier<EdgeContext> contexts;
    private final boolean viewerTls;
    private final ClientSession session;

    Http2StreamInitializer(Supplier<EdgeContext> contexts, boolean viewerTls, ClientSession session) {
        this.contexts = contexts;
        this.viewerTls = viewerTls;
        this.session = session;
    }

    @Override
    protected void initChannel(Channel stream) {
        // The stream reads only when its exchange asks, as an HTTP/1.1 connection does.
        stream.config().setAutoRead(false);
        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                new FlowControlHandler(),
                new Http2StreamHandler(contexts.get(), viewerTls, session));
    }
}
