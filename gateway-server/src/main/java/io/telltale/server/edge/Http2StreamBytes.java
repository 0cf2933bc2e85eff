package io.telltale.server.edge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * Makes an HTTP/2 stream look like a connection of bytes to a tunnel's end: DATA frames in become bytes, bytes out
 * become DATA frames, the client's END_STREAM becomes an input shutdown and its RST_STREAM a broken connection.
 *
 * <p>A write of no bytes (a tunnel's "after what was written" marker) completes once the stream's flow control let
 * the last DATA frame out, so a close that waits for it does not reset the stream ahead of its data.
 */
final class Http2StreamBytes extends ChannelDuplexHandler {
    private ChannelFuture lastWrite;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            ctx.fireChannelRead(data.content());
            if (data.isEndStream()) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } else if (msg instanceof HttpContent content) {
            // Read before the switch and held by the flow-control handler that left with the HTTP handlers.
            ctx.fireChannelRead(content.content());
            if (content instanceof LastHttpContent) {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
        } else if (msg instanceof Http2HeadersFrame trailers && trailers.isEndStream()) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            Http2Error error = Http2Error.valueOf(reset.errorCode());
            ctx.fireExceptionCaught(new IOException("reset the stream ("
                    + (error == null ? "error " + reset.errorCode() : error.name()) + ")"));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            if (lastWrite == null || lastWrite.isDone()) {
                promise.trySuccess();
            } else {
                lastWrite.addListener(f -> promise.trySuccess());
            }
            return;
        }
        ChannelPromise written = promise.isVoid() ? ctx.newPromise() : promise;
        if (promise.isVoid()) {
            written.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        lastWrite = written;
        ctx.write(new DefaultHttp2DataFrame(buf), written);
    }
}
