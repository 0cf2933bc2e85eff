package io.telltale.server.edge;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.Failure;
import io.telltale.server.proxy.Downstream;
import io.telltale.server.proxy.EncodedResponse;
import io.telltale.server.proxy.ProxyExchange;
import io.telltale.server.proxy.ProxyPhases;
import io.telltale.server.proxy.RequestFacts;
import io.telltale.server.proxy.RequestIds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 client connection: turns each request into an exchange for the {@link ProxyPhases}, one at a
 * time so that pipelined responses leave in order, and is the exchanges' way back to the client.
 *
 * <p>Reads are explicit: the next message is read only when the current exchange asks for it, so a large
 * body holds at most a read's worth in memory.
 */
public final class HttpEdgeHandler extends ChannelInboundHandlerAdapter implements Downstream {
    /** The event that asks a connection to close once its current request, if any, is answered. */
    public static final Object DRAIN = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(HttpEdgeHandler.class);

    private final Supplier<EdgeContext> contexts;
    private final boolean viewerTls;
    private final ClientConnection connection;
    private final boolean woken;
    private ChannelHandlerContext ctx;
    private EdgeHttpCodec codec;
    private InetAddress clientAddress;
    private String clientIp = "-";
    private ProxyExchange current;
    private boolean awaitingClient;
    /** The clock of the current request's body, or null when it has none. */
    private RequestBodyClock body;
    /** The context of the current exchange: read once per exchange, so a reload applies from the next request. */
    private EdgeContext edge;

    /**
     * Creates the proxy handler of a connection.
     *
     * @param contexts what the listener's connections share, as of now
     * @param viewerTls whether the client connected with TLS
     * @param connection the connection's lasting handler, which times it
     * @param woken whether the connection slept and the first bytes of its next request are arriving
     */
    HttpEdgeHandler(Supplier<EdgeContext> contexts, boolean viewerTls, ClientConnection connection, boolean woken) {
        this.contexts = contexts;
        this.edge = contexts.get();
        this.viewerTls = viewerTls;
        this.connection = connection;
        this.woken = woken;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.codec = (EdgeHttpCodec) ctx.pipeline().get(EdgeChannelInitializer.CODEC);
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress();
            clientIp = clientAddress.getHostAddress();
        }
        if (woken) {
            // The next request's first bytes follow at once; flow control passes a message on only when asked.
            readClient();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.awaitRequest(false);
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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        awaitingClient = false;
        if (msg instanceof HttpRequest request) {
            connection.requestReceived();
            ProxyExchange e = newExchange(request);
            current = e;
            if (!e.requestComplete()) {
                body = new RequestBodyClock(ctx.executor(), edge.gateway().limits(), () -> bodyTimedOut(e));
            }
            edge.phases().start(e, malformed(request));
            if (current == e && e.requestComplete()) {
                // The decoder queued the end of this bodiless request right behind it: take it now, in this
                // read cycle, so the socket is not asked to stop and restart reading (an epoll_ctl each way).
                readClient();
            }
        }
        if (msg instanceof HttpContent content) {
            if (body != null) {
                body.received(content.content().readableBytes());
            }
            ProxyExchange e = current;
            if (e == null || e.requestComplete()) {
                // The end of a request that was already answered and let go: the next request follows it.
                content.release();
                if (e == null) {
                    readClient();
                }
            } else {
                edge.phases().requestContent(e, content, malformedBody(content));
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // FlowControlHandler counts a finished read cycle as the answer to a read() even when no message came
        // for us (the read was asked for in the middle of the cycle), so ask again.
        if (awaitingClient) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && current != null) {
            edge.phases().clientWritable(current);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientConnection.HEADER_TIMEOUT && current == null) {
            current = newExchange(null);
            edge.phases().headerTimeout(current);
            return;
        }
        if (evt == DRAIN) {
            if (current == null) {
                ctx.close();
            } else {
                current.drain();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Client-side I/O errors (resets, broken pipes) only end this connection; anything else is a bug here.
        if (!isClientSideError(cause)) {
            LOG.warn("closing client connection after an unexpected error", cause);
        }
        ctx.close();
    }

    /** Returns whether an error is the client's doing (a reset, a broken pipe, not TLS at all), not a bug here. */
    static boolean isClientSideError(Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return t instanceof IOException || t instanceof NotSslRecordException;
    }

    private static Failure malformed(HttpObject message) {
        DecoderResult result = message.decoderResult();
        return result.isSuccess() ? null : DecoderFailures.of(result.cause());
    }

    private static Failure malformedBody(HttpContent content) {
        DecoderResult result = content.decoderResult();
        return result.isSuccess() ? null : DecoderFailures.ofBody(result.cause());
    }

    private ProxyExchange newExchange(HttpRequest request) {
        edge = contexts.get();
        LongSupplier nanos = edge.gateway().nanoClock();
        return new ProxyExchange(new RequestFacts(RequestIds.next(), edge.gateway().epochClock().getAsLong(),
                nanos.getAsLong(), request, clientAddress, clientIp, viewerTls, false), this);
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
    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void interim(HttpResponse interim) {
        ctx.writeAndFlush(interim);
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
    public long bufferedBytes() {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
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
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> written.accept(f.isSuccess()));
    }

    @Override
    public void readRequest() {
        readClient();
    }

    @Override
    public void close() {
        current = null;
        stopBodyClock();
        // What was written but not flushed yet (a head and the body before a fault in the same read) goes first.
        ctx.flush();
        ctx.close();
    }

    @Override
    public void next() {
        current = null;
        stopBodyClock();
        connection.awaitRequest(codec.holdsPartialRequest());
        readClient();
    }

    @Override
    public boolean upgradable() {
        return true;
    }

    @Override
    public void upgrade(HttpResponse switching, ChannelHandler tunnelEnd) {
        current = null;
        stopBodyClock();
        // Encoded at once: the 101 is in the outbound buffer before the codec leaves and raw bytes follow it.
        ctx.writeAndFlush(switching);
        ChannelPipeline p = ctx.pipeline();
        p.addLast(tunnelEnd);
        p.remove(this);
        p.remove(EdgeChannelInitializer.FLOW);
        // Last, so that bytes the decoder still holds go to the tunnel.
        p.remove(EdgeChannelInitializer.CODEC);
    }

    @Override
    public String tlsProtocol() {
        return ClientSession.tlsProtocol(session());
    }

    @Override
    public String sni() {
        return ClientSession.sni(session());
    }

    private SSLSession session() {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        return tls == null ? null : tls.engine().getSession();
    }
}
