package io.telltale.server.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A downstream that records what an exchange sends, on an embedded channel's event loop. */
final class RecordingDownstream implements Downstream {
    final EmbeddedChannel channel = new EmbeddedChannel();
    final List<String> events = new ArrayList<>();
    final List<HttpResponse> heads = new ArrayList<>();
    final StringBuilder body = new StringBuilder();
    int reads;

    @Override
    public EventLoop loop() {
        return channel.eventLoop();
    }

    @Override
    public void interim(HttpResponse interim) {
        events.add("interim " + interim.status().code());
        ReferenceCountUtil.release(interim);
    }

    @Override
    public void head(HttpResponse head) {
        events.add("head " + head.status().code());
        heads.add(head);
    }

    @Override
    public void content(HttpContent content) {
        events.add("content");
        append(content.content());
        content.release();
    }

    @Override
    public void flush() {
        events.add("flush");
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public void last(LastHttpContent last, Consumer<Boolean> written) {
        events.add("last");
        append(last.content());
        last.release();
        written.accept(true);
    }

    @Override
    public void complete(FullHttpResponse response, Consumer<Boolean> written) {
        events.add("complete " + response.status().code());
        heads.add(response);
        append(response.content());
        response.release();
        written.accept(true);
    }

    @Override
    public void encoded(EncodedResponse response, Consumer<Boolean> written) {
        events.add("encoded");
        append(response.content());
        response.release();
        written.accept(true);
    }

    @Override
    public void readRequest() {
        reads++;
    }

    @Override
    public void close() {
        events.add("close");
    }

    @Override
    public void next() {
        events.add("next");
    }

    @Override
    public String tlsProtocol() {
        return "off";
    }

    @Override
    public String sni() {
        return "off";
    }

    /** Returns the only response head sent. */
    HttpResponse response() {
        return heads.get(heads.size() - 1);
    }

    private void append(ByteBuf content) {
        body.append(content.toString(StandardCharsets.UTF_8));
    }
}
