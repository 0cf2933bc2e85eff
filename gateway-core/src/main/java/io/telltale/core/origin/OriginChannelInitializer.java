package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.telltale.core.tls.OriginTlsContexts;

/**
 * Builds an origin connection's pipeline: TLS when asked, the first bytes' keeper, then either the HTTP/1.1 client
 * codec and the response handler, or for HTTP/2 the frame codec, the stream multiplexer and the session.
 *
 * <p>There is no flow-control handler: one socket read yields a bounded batch of messages, and the exchange
 * asks for the next read only once the client took the whole batch.
 */
final class OriginChannelInitializer extends ChannelInitializer<Channel> {
    static final String TLS = "tls";
    static final String CODEC = "http";
    static final String RESPONSE = "response";

    private final OriginTarget target;
    private final OriginTlsContexts tls;
    private final HttpDecoderConfig decoderConfig;
    private final int maxResponseHeaderSize;
    private final Http2Session session;

    /** Creates the initializer of one connection; {@code session} is null for HTTP/1.1. */
    OriginChannelInitializer(OriginTarget target, OriginTlsContexts tls, int maxResponseHeaderSize,
            Http2Session session) {
        this.target = target;
        this.tls = tls;
        this.maxResponseHeaderSize = maxResponseHeaderSize;
        this.session = session;
        this.decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(maxResponseHeaderSize)
                .setMaxChunkSize(16384)
                .setStrictLineParsing(true);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (target.tls()) {
            p.addLast(TLS, tls.newHandler(ch.alloc(), target.origin(), target.serverName(), target.port()));
        }
        p.addLast(new FirstBytes());
        if (session != null) {
            // The origin may not push: a client that disables push never has to accept a stream it did not open.
            p.addLast(CODEC, Http2FrameCodecBuilder.forClient()
                    .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                            .maxHeaderListSize(maxResponseHeaderSize))
                    .build());
            p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel pushed) {
                    pushed.close();
                }
            }));
            p.addLast(session);
            return;
        }
        p.addLast(CODEC, new OriginHttpCodec(decoderConfig));
        p.addLast(RESPONSE, new OriginResponseHandler());
    }
}
