package io.telltale.server.proxy;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/** The downstream of an exchange no client waits for: what it is sent is dropped, and every write succeeds. */
final class BackgroundDownstream implements Downstream {
    private final EventLoop loop;

    BackgroundDownstream(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void interim(HttpResponse interim) {
        ReferenceCountUtil.release(interim);
    }

    @Override
    public void head(HttpResponse head) {
        ReferenceCountUtil.release(head);
    }

    @Override
    public void content(HttpContent content) {
        content.release();
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void last(LastHttpContent last, Consumer<Boolean> written) {
        last.release();
        written.accept(true);
    }

    @Override
    public void complete(FullHttpResponse response, Consumer<Boolean> written) {
        response.release();
        written.accept(true);
    }

    @Override
    public void encoded(EncodedResponse response, Consumer<Boolean> written) {
        response.release();
        written.accept(true);
    }

    @Override
    public void readRequest() {
    }

    @Override
    public void close() {
    }

    @Override
    public void next() {
    }

    @Override
    public String tlsProtocol() {
        return "off";
    }

    @Override
    public String sni() {
        return "off";
    }
}
