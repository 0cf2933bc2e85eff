package io.telltale.server.edge;

import static io.netty.handler.codec.http2.Http2CodecUtil.getEmbeddedHttp2Exception;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.telltale.core.config.Http2Config;
import io.telltale.server.observe.GatewayMetrics;

/**
 * Netty's HTTP/2 frame codec for a client connection, with its built-in protections set from the config
 * (concurrent streams, header list size, CONTINUATION, empty DATA and reset budgets), and every refusal they
 * make counted in the metrics under its catalogue code. It offers extended CONNECT (RFC 8441) for WebSocket.
 */
final class Http2EdgeCodec extends Http2FrameCodec {
    private final GatewayMetrics metrics;

    private Http2EdgeCodec(Http2ConnectionEncoder encoder, Http2ConnectionDecoder decoder, Http2Settings settings,
            boolean decoupleCloseAndGoAway, boolean flushPreface, GatewayMetrics metrics) {
        super(encoder, decoder, settings, decoupleCloseAndGoAway, flushPreface);
        this.metrics = metrics;
    }

    /**
     * Builds the codec of one client connection.
     *
     * @param config the HTTP/2 limits
     * @param drainMillis how long its open streams may run once the connection is asked to close
     * @param metrics where refusals are counted
     */
    static Http2EdgeCodec create(Http2Config config, long drainMillis, GatewayMetrics metrics) {
        return (Http2EdgeCodec) new Builder(metrics)
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(config.maxConcurrentStreams())
                        .maxHeaderListSize(config.maxHeaderListSize().bytes())
                        // SETTINGS_ENABLE_CONNECT_PROTOCOL: WebSocket by extended CONNECT (RFC 8441).
                        .connectProtocolEnabled(true))
                .gracefulShutdownTimeoutMillis(drainMillis)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(config.maxEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(config.maxSmallContinuationFrames())
                .decoderEnforceMaxRstFramesPerWindow(config.maxResetsPerWindow(),
                        (int) config.floodWindow().toSeconds())
                .build();
    }

    @Override
    public void onError(ChannelHandlerContext ctx, boolean outbound, Throwable cause) {
        Http2Exception error = getEmbeddedHttp2Exception(cause);
        if (!outbound && error != null) {
            metrics.failure(Http2Refusals.classify(error).code(), "-", "-");
        }
        super.onError(ctx, outbound, cause);
    }

    /** Netty's builder, made to build this codec. */
    private static final class Builder extends Http2FrameCodecBuilder {
        private final GatewayMetrics metrics;

        Builder(GatewayMetrics metrics) {
            this.metrics = metrics;
            server(true);
        }

        @Override
        protected Http2FrameCodec build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                Http2Settings settings) {
            Http2EdgeCodec codec = new Http2EdgeCodec(encoder, decoder, settings, decoupleCloseAndGoAway(),
                    flushPreface(), metrics);
            codec.gracefulShutdownTimeoutMillis(gracefulShutdownTimeoutMillis());
            return codec;
        }
    }
}
