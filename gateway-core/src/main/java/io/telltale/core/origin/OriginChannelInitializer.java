package io.telltale.core.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.telltale.core.tls.OriginTlsContexts;

/**
 * Builds an origin connection's pipeline: TLS when asked, the first bytes' keeper, the HTTP client codec, the
 * response handler.
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

    OriginChannelInitializer(OriginTarget target, OriginTlsContexts tls, int maxResponseHeaderSize) {
        this.target = target;
        this.tls = tls;
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
        p.addLast(CODEC, new HttpClientCodec(decoderConfig, false, false));
        p.addLast(RESPONSE, new OriginResponseHandler());
    }
}
