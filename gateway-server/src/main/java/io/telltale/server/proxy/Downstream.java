package io.telltale.server.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.function.Consumer;

/**
 * Where an exchange's response goes and where its request body comes from: a client connection, or nowhere
 * for a client-less exchange such as a background revalidation.
 */
public interface Downstream {
    /** Returns the event loop every call is made on. */
    EventLoop loop();

    /** Sends an interim (1xx) response ahead of the final one. */
    void interim(HttpResponse interim);

    /** Queues the response head; it leaves with the next flush. */
    void head(HttpResponse head);

    /** Queues a piece of the body; it leaves with the next flush. */
    void content(HttpContent content);

    /** Sends what was queued. */
    void flush();

    /** Returns whether the client takes data as fast as it is written. */
    boolean writable();

    /** Returns the bytes written and not yet taken by the client; unknown ({@code Long.MAX_VALUE}) by default. */
    default long bufferedBytes() {
        return Long.MAX_VALUE;
    }

    /** Sends the body's last piece, then reports whether it was written. */
    void last(LastHttpContent last, Consumer<Boolean> written);

    /** Sends a complete response, then reports whether it was written. */
    void complete(FullHttpResponse response, Consumer<Boolean> written);

    /** Sends a complete response already in wire form, then reports whether it was written. */
    void encoded(EncodedResponse response, Consumer<Boolean> written);

    /** Asks for the next piece of the request body. */
    void readRequest();

    /** Ends the client connection, after what was already written. */
    void close();

    /** Lets the connection serve its next request: this exchange is finished. */
    void next();

    /** Returns the TLS protocol the client negotiated, or {@code off}. */
    String tlsProtocol();

    /** Returns the server name the client asked for in its TLS handshake, or {@code off}. */
    String sni();

    /** Returns the client's protocol as metrics and the access log name it: {@code h1} or {@code h2}. */
    default String protocol() {
        return "h1";
    }

    /** Returns whether {@link #encoded} can take a response in HTTP/1.1 wire form. */
    default boolean writesEncoded() {
        return true;
    }

    /**
     * Returns whether the client's side can become a byte tunnel after a 101: an HTTP/1.1 connection, or an HTTP/2
     * stream that asked by extended CONNECT (RFC 8441).
     */
    default boolean upgradable() {
        return false;
    }

    /**
     * Sends the origin's 101 (on HTTP/2: a 200) and gives the client connection or stream over to a byte tunnel:
     * its HTTP handlers leave and {@code tunnelEnd} takes their place. Called only when {@link #upgradable()} said
     * yes.
     */
    default void upgrade(HttpResponse switching, ChannelHandler tunnelEnd) {
        throw new UnsupportedOperationException("upgrade: this downstream (expected: one that is upgradable)");
    }

    /**
     * Returns whether the request can only be served as a tunnel, never as plain HTTP: an HTTP/2 extended CONNECT
     * (RFC 8441), whose client would take any 2xx for an open tunnel.
     */
    default boolean tunnelOnly() {
        return false;
    }

    /** Returns the status the client is sent when its tunnel opens: 101, or 200 on an HTTP/2 stream (RFC 8441). */
    default int tunnelStatus() {
        return 101;
    }
}
