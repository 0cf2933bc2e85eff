package io.telltale.core.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.telltale.core.failure.MalformedHeaderLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The origin codec on an embedded channel: which bytes spoil a connection for reuse, and which lines it refuses. */
class OriginHttpCodecTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new OriginHttpCodec(new HttpDecoderConfig()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aResponseThatEndsCleanlyLeavesTheConnectionReusable() {
        send(HttpMethod.GET);
        List<Object> read = receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(read.get(read.size() - 1)).isInstanceOf(LastHttpContent.class);
        assertThat(OriginHttpCodec.spoiled(channel)).isFalse();
    }

    @Test
    void bytesAfterAHeadResponseSpoilTheConnection() {
        send(HttpMethod.HEAD);
        receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab");

        assertThat(OriginHttpCodec.spoiled(channel)).isTrue();
    }

    @Test
    void bytesArrivingOnAnIdleConnectionSpoilIt() {
        send(HttpMethod.GET);
        receive("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(OriginHttpCodec.spoiled(channel)).isFalse();

        receive("ab");

        assertThat(OriginHttpCodec.spoiled(channel)).isTrue();
    }

    @Test
    void aFinalResponseRightAfterAnInterimOneIsNotStray() {
        send(HttpMethod.POST);
        receive("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(OriginHttpCodec.spoiled(channel)).isFalse();
    }

    @Test
    void aHeaderLineWithoutAColonFailsTheHeadButAFoldDoesNot() {
        send(HttpMethod.GET);
        List<Object> read = receive("HTTP/1.1 200 OK\r\nX-A: 1\r\n continued\r\nJunk line\r\nContent-Length: 0\r\n\r\n");

        HttpResponse head = (HttpResponse) read.get(0);
        assertThat(head.decoderResult().cause()).isInstanceOf(MalformedHeaderLine.class);
        assertThat(((MalformedHeaderLine) head.decoderResult().cause()).line()).isEqualTo("Junk line");
    }

    @Test
    void theNextResponseOnTheConnectionIsScannedAfresh() {
        send(HttpMethod.GET);
        receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        send(HttpMethod.GET);
        List<Object> read = receive("HTTP/1.1 200 OK\r\nX-B: 2\r\nContent-Length: 0\r\n\r\n");

        assertThat(((HttpResponse) read.get(0)).decoderResult().isSuccess()).isTrue();
    }

    private void send(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
    }

    private List<Object> receive(String text) {
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        channel.writeInbound(bytes);
        List<Object> read = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            read.add(message);
            ReferenceCountUtil.release(message);
        }
        return read;
    }
}
