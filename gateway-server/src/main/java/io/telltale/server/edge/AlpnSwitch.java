package io.telltale.server.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.function.Consumer;

/**
 * Switches a TLS connection to HTTP/2 when its handshake chose {@code h2} by ALPN; with {@code http/1.1} or no
 * protocol chosen, the connection keeps its HTTP/1.1 handlers. Either way it then steps aside.
 */
final class AlpnSwitch extends ChannelInboundHandlerAdapter {
    private final Consumer<ChannelHandlerContext> http2;

    /** Creates the switch; {@code http2} replaces the connection's HTTP/1.1 handlers with HTTP/2 ones. */
    AlpnSwitch(Consumer<ChannelHandlerContext> http2) {
        this.http2 = http2;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (done.isSuccess() && tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                http2.accept(ctx);
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
