package io.telltale.core.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.List;

/**
 * Turns what happens to one origin stream outside its HTTP messages into named failures for the response
 * handler: the origin's RST_STREAM, its GOAWAY, a protocol error Netty found in the stream; keeps Netty's
 * internal stream-id header out of the response, and turns a gRPC trailers-only response into a head and trailers.
 */
final class Http2StreamEvents extends ChannelInboundHandlerAdapter {
    private static final String GRPC_STATUS = "grpc-status";
    private static final List<String> GRPC_TRAILERS = List.of(GRPC_STATUS, "grpc-message", "grpc-status-details-bin");

    private final Http2Session session;
    private boolean reported;

    Http2StreamEvents(Http2Session session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            response.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
        }
        if (msg instanceof FullHttpResponse full && !full.content().isReadable() && full.headers().contains(GRPC_STATUS)) {
            splitTrailersOnly(ctx, full);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Passes a gRPC trailers-only response (one HEADERS frame ending the stream) on as a head and trailers: the
     * gateway relays a head and its end separately, and a gRPC client reads its status from trailers after a head.
     */
    private static void splitTrailersOnly(ChannelHandlerContext ctx, FullHttpResponse full) {
        HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers().copy());
        LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        for (String name : GRPC_TRAILERS) {
            for (String value : head.headers().getAll(name)) {
                end.trailingHeaders().add(name, value);
            }
            head.headers().remove(name);
        }
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        full.release();
        ctx.fireChannelRead(head);
        ctx.fireChannelRead(end);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            report(ctx, Http2Failures.reset(session.hop(), streamId(ctx), reset.errorCode()));
        } else if (evt instanceof Http2GoAwayFrame goAway) {
            try {
                report(ctx, Http2Failures.goAway(session.hop(), streamId(ctx), new Http2Session.GoAway(
                        goAway.lastStreamId(), goAway.errorCode(), session.goAwayText(goAway))));
            } finally {
                ReferenceCountUtil.release(goAway);
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Http2Session.GoAway goAway = session.goAway();
        if (goAway != null) {
            // The connection ended after a GOAWAY: that, not a bare close, is why this stream ended.
            report(ctx, Http2Failures.goAway(session.hop(), streamId(ctx), goAway));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException || cause instanceof Http2Exception) {
            report(ctx, Failure.of(FailureCode.ORIGIN_INVALID_RESPONSE, "The origin " + session.hop().nextHop()
                    + " broke HTTP/2 on stream " + streamId(ctx) + ": " + cause.getMessage(),
                    Evidence.builder().put("http2.streamId", streamId(ctx))
                            .put("http2.error", cause.getMessage()).build()));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void report(ChannelHandlerContext ctx, Failure failure) {
        if (reported) {
            return;
        }
        reported = true;
        ctx.fireExceptionCaught(failure.toException());
    }

    private static int streamId(ChannelHandlerContext ctx) {
        return ((Http2StreamChannel) ctx.channel()).stream().id();
    }
}
