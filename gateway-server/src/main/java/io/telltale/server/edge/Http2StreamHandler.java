package io.telltale.server.edge;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.Failure;
import io.telltale.server.proxy.Downstream;
import io.telltale.server.proxy.EncodedResponse;
import io.telltale.server.proxy.ProxyExchange;
import io.telltale.server.proxy.RequestFacts;
import io.telltale.server.proxy.RequestIds;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * One HTTP/2 stream of a client connection: its request becomes one exchange for the same phases as an
 * HTTP/1.1 request, and it is that exchange's way back to the client.
 *
 * <p>It runs on the stream's own channel, after Netty's conversion between HTTP/2 frames and HTTP messages;
 * like the HTTP/1.1 handler it reads only when the exchange asks, so an upload is held back by the stream's
 * flow-control window. An extended CONNECT for WebSocket (RFC 8441) is served as the HTTP/1.1 upgrade it stands
 * for, and the stream becomes one end of its tunnel.
 */
final class Http2StreamHandler extends ChannelInboundHandlerAdapter implements Downstream {
    private final EdgeContext edge;
    private final boolean viewerTls;
    private final ClientSession session;
    private ChannelHandlerContext ctx;
    private ProxyExchange current;
    private boolean awaitingClient;
    /** Whether the stream's request is an extended CONNECT (RFC 8441): served as a tunnel or not at all. */
    private boolean extendedConnect;
    /** The clock of the current request's body, or null when it has none. */
    private RequestBodyClock body;

    Http2StreamHandler(EdgeContext edge, boolean viewerTls, ClientSession session) {
        this.edge = edge;
        this.viewerTls = viewerTls;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // One read, for the request's head: a second would pass on a piece of body before the origin takes it.
        readClient();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ProxyExchange e = current;
        current = null;
        stopBodyClock();
        if (e != null) {
            edge.phases().clientGone(e);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object received) {
        awaitingClient = false;
        Failure refused = null;
        Object msg = received;
        if (received instanceof HttpRequest request) {
            withoutConversionFields(request.headers());
            String protocol = ExtendedConnect.protocol(request);
            if (protocol != null) {
                extendedConnect = true;
                refused = ExtendedConnect.refusal(protocol);
                msg = ExtendedConnect.asUpgrade(request);
            }
        }
        if (msg instanceof HttpRequest request) {
            ProxyExchange e = newExchange(request);
            current = e;
            // A tunnel's bytes are not a request body: only a request's body is timed.
            if (!extendedConnect && !e.requestComplete()) {
                body = new RequestBodyClock(ctx.executor(), edge.gateway().limits(), () -> bodyTimedOut(e));
            }
            edge.phases().start(e, refused);
        }
        if (msg instanceof HttpContent content) {
            if (body != null) {
                body.received(content.content().readableBytes());
            }
            ProxyExchange e = current;
            if (e == null || e.requestComplete()) {
                content.release();
            } else {
                edge.phases().requestContent(e, content, null);
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // As on HTTP/1.1: flow control counts a read cycle as the answer to a read asked for within it, even
        // when no message came, so ask again.
        if (awaitingClient) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void readClient() {
        awaitingClient = true;
        if (body != null && current != null && !current.requestComplete()) {
            body.waiting();
        }
        ctx.read();
    }

    private void bodyTimedOut(ProxyExchange e) {
        if (current == e && !e.requestComplete()) {
            edge.phases().bodyTimeout(e, body.failure());
        }
    }

    private void stopBodyClock() {
        if (body != null) {
            body.stop();
            body = null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && current != null) {
            edge.phases().clientWritable(current);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A stream's errors (a reset, headers HTTP/1.1 cannot carry) end the stream, never the connection.
        ctx.close();
    }

    /**
     * Removes the fields Netty's conversion adds for HTTP/1.1 ({@code x-http2-*}) and the second {@code Host}
     * when a client sent both {@code :authority} and {@code host}: the former wins (RFC 9113 section 8.3.1).
     */
    private static void withoutConversionFields(HttpHeaders headers) {
        headers.remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
        headers.remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            headers.set(HttpHeaderNames.HOST, hosts.get(0));
        }
    }

    private ProxyExchange newExchange(HttpRequest request) {
        InetAddress address = session.clientAddress();
        return new ProxyExchange(new RequestFacts(RequestIds.next(), edge.gateway().epochClock().getAsLong(),
                edge.gateway().nanoClock().getAsLong(), request, address,
                address == null ? "-" : address.getHostAddress(), viewerTls, false), this);
    }

    @Override
    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void interim(HttpResponse interim) {
        // HTTP/2 sends an interim response as a HEADERS frame that Netty makes only from a full message.
        FullHttpResponse full = interim instanceof FullHttpResponse f ? f
                : new DefaultFullHttpResponse(interim.protocolVersion(), interim.status());
        if (full != interim) {
            full.headers().set(interim.headers());
        }
        ctx.writeAndFlush(full);
    }

    @Override
    public void head(HttpResponse head) {
        ctx.write(head);
    }

    @Override
    public void content(HttpContent content) {
        ctx.write(content);
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean writable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void last(LastHttpContent last, Consumer<Boolean> written) {
        ctx.writeAndFlush(last).addListener((ChannelFutureListener) f -> written.accept(f.isSuccess()));
    }

    @Override
    public void complete(FullHttpResponse response, Consumer<Boolean> written) {
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> written.accept(f.isSuccess()));
    }

    @Override
    public void encoded(EncodedResponse response, Consumer<Boolean> written) {
        // Never asked: writesEncoded() is false, so hits come as messages the stream's codec converts.
        response.release();
        written.accept(false);
    }

    @Override
    public void readRequest() {
        // An extended CONNECT has no body: what its client sends is the tunnel's, and waits in the stream's window
        // until the tunnel opens, instead of reaching the exchange as a body of the upgrade request.
        if (!extendedConnect) {
            readClient();
        }
    }

    @Override
    public void close() {
        // Only this stream ends (RST_STREAM when it is still open); the connection serves its other streams.
        current = null;
        stopBodyClock();
        ctx.flush();
        ctx.close();
    }

    @Override
    public void next() {
        current = null;
        stopBodyClock();
    }

    @Override
    public String tlsProtocol() {
        return session.tlsProtocol();
    }

    @Override
    public String sni() {
        return session.sni();
    }

    @Override
    public String protocol() {
        return "h2";
    }

    @Override
    public boolean writesEncoded() {
        return false;
    }

    @Override
    public boolean upgradable() {
        return extendedConnect;
    }

    @Override
    public boolean tunnelOnly() {
        return extendedConnect;
    }

    @Override
    public int tunnelStatus() {
        return HttpResponseStatus.OK.code();
    }

    /**
     * Sends the client its {@code 200} (RFC 8441) and gives the stream over to a byte tunnel: its HTTP handlers
     * leave, and DATA frames are the tunnel's bytes both ways.
     */
    @Override
    public void upgrade(HttpResponse switching, ChannelHandler tunnelEnd) {
        current = null;
        ctx.writeAndFlush(ExtendedConnect.established(switching));
        ChannelPipeline p = ctx.pipeline();
        p.addLast(new Http2StreamBytes(), tunnelEnd);
        p.remove(this);
        // Then what flow control still holds goes to the tunnel, as bytes.
        p.remove(FlowControlHandler.class);
        p.remove(Http2StreamFrameToHttpObjectCodec.class);
    }
}
